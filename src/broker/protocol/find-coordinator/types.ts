/**
 * Canonical FindCoordinator request and response, generated from Kafka's FindCoordinatorRequest.json and
 * FindCoordinatorResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** FindCoordinator response, every supported version (v0-v3) in one shape. */
export interface FindCoordinatorResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v1-3 only) */
  throttleTimeMs: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
  /** The error message, or null if there was no error. (v1-3 only) */
  errorMessage: string | null;
  /** The node id. */
  nodeId: number;
  /** The host name. */
  host: string;
  /** The port. */
  port: number;
}

/** FindCoordinator request, every supported version (v0-v3) in one shape. */
export interface FindCoordinatorRequest {
  /** The coordinator key. */
  key: string;
  /** The coordinator key type. (group, transaction, share). (v1-3 only; default 0) */
  keyType: number;
}
