/**
 * Canonical ListGroups request and response, generated from Kafka's ListGroupsRequest.json and
 * ListGroupsResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** ListGroups response, every supported version (v0-v2) in one shape. */
export interface ListGroupsResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v1-2 only) */
  throttleTimeMs: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
  /** Each group in the response. */
  groups: ListGroupsListedGroup[];
}

export interface ListGroupsListedGroup {
  /** The group ID. */
  groupId: string;
  /** The group protocol type. */
  protocolType: string;
}

/** ListGroups request, every supported version (v0-v2) in one shape. It has no fields. */
export type ListGroupsRequest = Record<string, never>;
