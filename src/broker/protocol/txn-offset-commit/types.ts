/**
 * Canonical TxnOffsetCommit request and response, generated from Kafka's TxnOffsetCommitRequest.json and
 * TxnOffsetCommitResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** TxnOffsetCommit response, every supported version (v0-v2) in one shape. */
export interface TxnOffsetCommitResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
  /** The responses for each topic. */
  topics: TxnOffsetCommitResponseTopic[];
}

export interface TxnOffsetCommitResponseTopic {
  /** The topic name. */
  name: string;
  /** The responses for each partition in the topic. */
  partitions: TxnOffsetCommitResponsePartition[];
}

export interface TxnOffsetCommitResponsePartition {
  /** The partition index. */
  partitionIndex: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
}

/** TxnOffsetCommit request, every supported version (v0-v2) in one shape. */
export interface TxnOffsetCommitRequest {
  /** The ID of the transaction. */
  transactionalId: string;
  /** The ID of the group. */
  groupId: string;
  /** The current producer ID in use by the transactional ID. */
  producerId: bigint;
  /** The current epoch associated with the producer ID. */
  producerEpoch: number;
  /** Each topic that we want to commit offsets for. */
  topics: TxnOffsetCommitRequestTopic[];
}

export interface TxnOffsetCommitRequestTopic {
  /** The topic name. */
  name: string;
  /** The partitions inside the topic that we want to commit offsets for. */
  partitions: TxnOffsetCommitRequestPartition[];
}

export interface TxnOffsetCommitRequestPartition {
  /** The index of the partition within the topic. */
  partitionIndex: number;
  /** The message offset to be committed. */
  committedOffset: bigint;
  /** The leader epoch of the last consumed record. (v2 only; default -1) */
  committedLeaderEpoch: number;
  /** Any associated metadata the client wants to keep. */
  committedMetadata: string | null;
}
