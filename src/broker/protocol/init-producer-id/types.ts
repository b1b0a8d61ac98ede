/**
 * Canonical InitProducerId request and response, generated from Kafka's InitProducerIdRequest.json and
 * InitProducerIdResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** InitProducerId response, every supported version (v0-v4) in one shape. */
export interface InitProducerIdResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
  /** The current producer id. */
  producerId: bigint;
  /** The current epoch associated with the producer id. */
  producerEpoch: number;
}

/** InitProducerId request, every supported version (v0-v4) in one shape. */
export interface InitProducerIdRequest {
  /** The transactional id, or null if the producer is not transactional. */
  transactionalId: string | null;
  /** The time in ms to wait before aborting idle transactions sent by this producer. This is only relevant if a TransactionalId has been defined. */
  transactionTimeoutMs: number;
  /** The producer id. This is used to disambiguate requests if a transactional id is reused following its expiration. (v3-4 only; default -1n) */
  producerId: bigint;
  /** The producer's current epoch. This will be checked against the producer epoch on the broker, and the request will return an error if they do not match. (v3-4 only; default -1) */
  producerEpoch: number;
}
