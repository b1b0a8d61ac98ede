/**
 * Canonical AddPartitionsToTxn request and response, generated from Kafka's AddPartitionsToTxnRequest.json and
 * AddPartitionsToTxnResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** AddPartitionsToTxn response, every supported version (v0-v2) in one shape. */
export interface AddPartitionsToTxnResponse {
  /** Duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
  /** The results for each topic. */
  resultsByTopic: AddPartitionsToTxnTopicResult[];
}

export interface AddPartitionsToTxnTopicResult {
  /** The topic name. */
  name: string;
  /** The results for each partition. */
  resultsByPartition: AddPartitionsToTxnPartitionResult[];
}

export interface AddPartitionsToTxnPartitionResult {
  /** The partition indexes. */
  partitionIndex: number;
  /** The response error code. */
  partitionErrorCode: number;
}

/** AddPartitionsToTxn request, every supported version (v0-v2) in one shape. */
export interface AddPartitionsToTxnRequest {
  /** The transactional id corresponding to the transaction. */
  transactionalId: string;
  /** Current producer id in use by the transactional id. */
  producerId: bigint;
  /** Current epoch associated with the producer id. */
  producerEpoch: number;
  /** The partitions to add to the transaction. */
  topics: AddPartitionsToTxnTopic[];
}

export interface AddPartitionsToTxnTopic {
  /** The name of the topic. */
  name: string;
  /** The partition indexes to add to the transaction. */
  partitions: number[];
}
