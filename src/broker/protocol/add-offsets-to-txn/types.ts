/**
 * Canonical AddOffsetsToTxn request and response, generated from Kafka's AddOffsetsToTxnRequest.json and
 * AddOffsetsToTxnResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** AddOffsetsToTxn response, every supported version (v0-v2) in one shape. */
export interface AddOffsetsToTxnResponse {
  /** Duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
  /** The response error code, or 0 if there was no error. */
  errorCode: number;
}

/** AddOffsetsToTxn request, every supported version (v0-v2) in one shape. */
export interface AddOffsetsToTxnRequest {
  /** The transactional id corresponding to the transaction. */
  transactionalId: string;
  /** Current producer id in use by the transactional id. */
  producerId: bigint;
  /** Current epoch associated with the producer id. */
  producerEpoch: number;
  /** The unique group identifier. */
  groupId: string;
}
