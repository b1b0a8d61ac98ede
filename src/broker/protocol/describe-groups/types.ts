/**
 * Canonical DescribeGroups request and response, generated from Kafka's DescribeGroupsRequest.json and
 * DescribeGroupsResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** DescribeGroups response, every supported version (v0-v4) in one shape. */
export interface DescribeGroupsResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v1-4 only) */
  throttleTimeMs: number;
  /** Each described group. */
  groups: DescribeGroupsDescribedGroup[];
}

export interface DescribeGroupsDescribedGroup {
  /** The describe error, or 0 if there was no error. */
  errorCode: number;
  /** The group ID string. */
  groupId: string;
  /** The group state string, or the empty string. */
  groupState: string;
  /** The group protocol type, or the empty string. */
  protocolType: string;
  /** The group protocol data, or the empty string. */
  protocolData: string;
  /** The group members. */
  members: DescribeGroupsDescribedGroupMember[];
  /** 32-bit bitfield to represent authorized operations for this group. (v3-4 only) */
  authorizedOperations: number;
}

export interface DescribeGroupsDescribedGroupMember {
  /** The member id. */
  memberId: string;
  /** The unique identifier of the consumer instance provided by end user. (v4 only) */
  groupInstanceId: string | null;
  /** The client ID used in the member's latest join group request. */
  clientId: string;
  /** The client host. */
  clientHost: string;
  /** The metadata corresponding to the current group protocol in use. */
  memberMetadata: Buffer;
  /** The current assignment provided by the group leader. */
  memberAssignment: Buffer;
}

/** DescribeGroups request, every supported version (v0-v4) in one shape. */
export interface DescribeGroupsRequest {
  /** The names of the groups to describe. */
  groups: string[];
  /** Whether to include authorized operations. (v3-4 only; default false) */
  includeAuthorizedOperations: boolean;
}
