/**
 * Canonical Produce request and response, generated from Kafka's ProduceRequest.json and
 * ProduceResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** Produce response, every supported version (v3-v8) in one shape. */
export interface ProduceResponse {
  /** Each produce response. */
  responses: ProduceTopicProduceResponse[];
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
}

export interface ProduceTopicProduceResponse {
  /** The topic name. */
  name: string;
  /** Each partition that we produced to within the topic. */
  partitionResponses: ProducePartitionProduceResponse[];
}

export interface ProducePartitionProduceResponse {
  /** The partition index. */
  index: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
  /** The base offset. */
  baseOffset: bigint;
  /** The timestamp returned by broker after appending the messages. If CreateTime is used for the topic, the timestamp will be -1.  If LogAppendTime is used for the topic, the timestamp will be the broker local time when the messages are appended. */
  logAppendTimeMs: bigint;
  /** The log start offset. (v5-8 only) */
  logStartOffset: bigint;
  /** The batch indices of records that caused the batch to be dropped. (v8 only) */
  recordErrors: ProduceBatchIndexAndErrorMessage[];
  /** The global error message summarizing the common root cause of the records that caused the batch to be dropped. (v8 only) */
  errorMessage: string | null;
}

export interface ProduceBatchIndexAndErrorMessage {
  /** The batch index of the record that caused the batch to be dropped. (v8 only) */
  batchIndex: number;
  /** The error message of the record that caused the batch to be dropped. (v8 only) */
  batchIndexErrorMessage: string | null;
}

/** Produce request, every supported version (v3-v8) in one shape. */
export interface ProduceRequest {
  /** The transactional ID, or null if the producer is not transactional. */
  transactionalId: string | null;
  /** The number of acknowledgments the producer requires the leader to have received before considering a request complete. Allowed values: 0 for no acknowledgments, 1 for only the leader and -1 for the full ISR. */
  acks: number;
  /** The timeout to await a response in milliseconds. */
  timeoutMs: number;
  /** Each topic to produce to. */
  topicData: ProduceTopicProduceData[];
}

export interface ProduceTopicProduceData {
  /** The topic name. */
  name: string;
  /** Each partition to produce to. */
  partitionData: ProducePartitionProduceData[];
}

export interface ProducePartitionProduceData {
  /** The partition index. */
  index: number;
  /** The record data to be produced. */
  records: Buffer | null;
}
