/**
 * Canonical LeaveGroup request and response, generated from Kafka's LeaveGroupRequest.json and
 * LeaveGroupResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** LeaveGroup response, every supported version (v0-v3) in one shape. */
export interface LeaveGroupResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v1-3 only) */
  throttleTimeMs: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
  /** List of leaving member responses. (v3 only) */
  members: LeaveGroupMemberResponse[];
}

export interface LeaveGroupMemberResponse {
  /** The member ID to remove from the group. (v3 only) */
  memberId: string;
  /** The group instance ID to remove from the group. (v3 only) */
  groupInstanceId: string | null;
  /** The error code, or 0 if there was no error. (v3 only) */
  errorCode: number;
}

/** LeaveGroup request, every supported version (v0-v3) in one shape. */
export interface LeaveGroupRequest {
  /** The ID of the group to leave. */
  groupId: string;
  /** The member ID to remove from the group. (v0-2 only; default '') */
  memberId: string;
  /** List of leaving member identities. (v3 only; default []) */
  members: LeaveGroupMemberIdentity[];
}

export interface LeaveGroupMemberIdentity {
  /** The member ID to remove from the group. (v3 only; default '') */
  memberId: string;
  /** The group instance ID to remove from the group. (v3 only; default null) */
  groupInstanceId: string | null;
}
