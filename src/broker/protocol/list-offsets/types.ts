/**
 * Canonical ListOffsets request and response, generated from Kafka's ListOffsetsRequest.json and
 * ListOffsetsResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** ListOffsets response, every supported version (v1-v5) in one shape. */
export interface ListOffsetsResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v2-5 only) */
  throttleTimeMs: number;
  /** Each topic in the response. */
  topics: ListOffsetsTopicResponse[];
}

export interface ListOffsetsTopicResponse {
  /** The topic name. */
  name: string;
  /** Each partition in the response. */
  partitions: ListOffsetsPartitionResponse[];
}

export interface ListOffsetsPartitionResponse {
  /** The partition index. */
  partitionIndex: number;
  /** The partition error code, or 0 if there was no error. */
  errorCode: number;
  /** The timestamp associated with the returned offset. */
  timestamp: bigint;
  /** The returned offset. */
  offset: bigint;
  /** The leader epoch associated with the returned offset. (v4-5 only) */
  leaderEpoch: number;
}

/** ListOffsets request, every supported version (v1-v5) in one shape. */
export interface ListOffsetsRequest {
  /** The broker ID of the requester, or -1 if this request is being made by a normal consumer. */
  replicaId: number;
  /** This setting controls the visibility of transactional records. Using READ_UNCOMMITTED (isolation_level = 0) makes all records visible. With READ_COMMITTED (isolation_level = 1), non-transactional and COMMITTED transactional records are visible. To be more concrete, READ_COMMITTED returns all data from offsets smaller than the current LSO (last stable offset), and enables the inclusion of the list of aborted transactions in the result, which allows consumers to discard ABORTED transactional records. (v2-5 only; default 0) */
  isolationLevel: number;
  /** Each topic in the request. */
  topics: ListOffsetsTopic[];
}

export interface ListOffsetsTopic {
  /** The topic name. */
  name: string;
  /** Each partition in the request. */
  partitions: ListOffsetsPartition[];
}

export interface ListOffsetsPartition {
  /** The partition index. */
  partitionIndex: number;
  /** The current leader epoch. (v4-5 only; default -1) */
  currentLeaderEpoch: number;
  /** The current timestamp. */
  timestamp: bigint;
}
