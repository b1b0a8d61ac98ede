/**
 * Canonical Heartbeat request and response, generated from Kafka's HeartbeatRequest.json and
 * HeartbeatResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** Heartbeat response, every supported version (v0-v3) in one shape. */
export interface HeartbeatResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v1-3 only) */
  throttleTimeMs: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
}

/** Heartbeat request, every supported version (v0-v3) in one shape. */
export interface HeartbeatRequest {
  /** The group id. */
  groupId: string;
  /** The generation of the group. */
  generationId: number;
  /** The member ID. */
  memberId: string;
  /** The unique identifier of the consumer instance provided by end user. (v3 only; default null) */
  groupInstanceId: string | null;
}
