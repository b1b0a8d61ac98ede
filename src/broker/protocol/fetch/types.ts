/**
 * Canonical Fetch request and response, generated from Kafka's FetchRequest.json and
 * FetchResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** Fetch response, every supported version (v4-v11) in one shape. */
export interface FetchResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
  /** The top level response error code. (v7-11 only) */
  errorCode: number;
  /** The fetch session ID, or 0 if this is not part of a fetch session. (v7-11 only) */
  sessionId: number;
  /** The response topics. */
  responses: FetchableTopicResponse[];
}

export interface FetchableTopicResponse {
  /** The topic name. */
  topic: string;
  /** The topic partitions. */
  partitions: FetchPartitionData[];
}

export interface FetchPartitionData {
  /** The partition index. */
  partitionIndex: number;
  /** The error code, or 0 if there was no fetch error. */
  errorCode: number;
  /** The current high water mark. */
  highWatermark: bigint;
  /** The last stable offset (or LSO) of the partition. This is the last offset such that the state of all transactional records prior to this offset have been decided (ABORTED or COMMITTED). */
  lastStableOffset: bigint;
  /** The current log start offset. (v5-11 only) */
  logStartOffset: bigint;
  /** The aborted transactions. */
  abortedTransactions: FetchAbortedTransaction[] | null;
  /** The preferred read replica for the consumer to use on its next fetch request. (v11 only) */
  preferredReadReplica: number;
  /** The record data. */
  records: Buffer | null;
}

export interface FetchAbortedTransaction {
  /** The producer id associated with the aborted transaction. */
  producerId: bigint;
  /** The first offset in the aborted transaction. */
  firstOffset: bigint;
}

/** Fetch request, every supported version (v4-v11) in one shape. */
export interface FetchRequest {
  /** The broker ID of the follower, of -1 if this request is from a consumer. */
  replicaId: number;
  /** The maximum time in milliseconds to wait for the response. */
  maxWaitMs: number;
  /** The minimum bytes to accumulate in the response. */
  minBytes: number;
  /** The maximum bytes to fetch.  See KIP-74 for cases where this limit may not be honored. */
  maxBytes: number;
  /** This setting controls the visibility of transactional records. Using READ_UNCOMMITTED (isolation_level = 0) makes all records visible. With READ_COMMITTED (isolation_level = 1), non-transactional and COMMITTED transactional records are visible. To be more concrete, READ_COMMITTED returns all data from offsets smaller than the current LSO (last stable offset), and enables the inclusion of the list of aborted transactions in the result, which allows consumers to discard ABORTED transactional records. */
  isolationLevel: number;
  /** The fetch session ID. (v7-11 only; default 0) */
  sessionId: number;
  /** The fetch session epoch, which is used for ordering requests in a session. (v7-11 only; default -1) */
  sessionEpoch: number;
  /** The topics to fetch. */
  topics: FetchTopic[];
  /** In an incremental fetch request, the partitions to remove. (v7-11 only; default []) */
  forgottenTopicsData: FetchForgottenTopic[];
  /** Rack ID of the consumer making this request. (v11 only; default '') */
  rackId: string;
}

export interface FetchForgottenTopic {
  /** The topic name. (v7-11 only; default '') */
  topic: string;
  /** The partitions indexes to forget. (v7-11 only; default []) */
  partitions: number[];
}

export interface FetchTopic {
  /** The name of the topic to fetch. */
  topic: string;
  /** The partitions to fetch. */
  partitions: FetchPartition[];
}

export interface FetchPartition {
  /** The partition index. */
  partition: number;
  /** The current leader epoch of the partition. (v9-11 only; default -1) */
  currentLeaderEpoch: number;
  /** The message offset. */
  fetchOffset: bigint;
  /** The earliest available offset of the follower replica.  The field is only used when the request is sent by the follower. (v5-11 only; default -1n) */
  logStartOffset: bigint;
  /** The maximum bytes to fetch from this partition.  See KIP-74 for cases where this limit may not be honored. */
  partitionMaxBytes: number;
}
