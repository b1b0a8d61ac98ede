/**
 * Canonical SyncGroup request and response, generated from Kafka's SyncGroupRequest.json and
 * SyncGroupResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** SyncGroup response, every supported version (v0-v3) in one shape. */
export interface SyncGroupResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v1-3 only) */
  throttleTimeMs: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
  /** The member assignment. */
  assignment: Buffer;
}

/** SyncGroup request, every supported version (v0-v3) in one shape. */
export interface SyncGroupRequest {
  /** The unique group identifier. */
  groupId: string;
  /** The generation of the group. */
  generationId: number;
  /** The member ID assigned by the group. */
  memberId: string;
  /** The unique identifier of the consumer instance provided by end user. (v3 only; default null) */
  groupInstanceId: string | null;
  /** Each assignment. */
  assignments: SyncGroupRequestAssignment[];
}

export interface SyncGroupRequestAssignment {
  /** The ID of the member to assign. */
  memberId: string;
  /** The member assignment. */
  assignment: Buffer;
}
