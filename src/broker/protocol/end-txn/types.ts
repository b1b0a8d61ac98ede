/**
 * Canonical EndTxn request and response, generated from Kafka's EndTxnRequest.json and
 * EndTxnResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** EndTxn response, every supported version (v0-v2) in one shape. */
export interface EndTxnResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
}

/** EndTxn request, every supported version (v0-v2) in one shape. */
export interface EndTxnRequest {
  /** The ID of the transaction to end. */
  transactionalId: string;
  /** The producer ID. */
  producerId: bigint;
  /** The current epoch associated with the producer. */
  producerEpoch: number;
  /** True if the transaction was committed, false if it was aborted. */
  committed: boolean;
}
