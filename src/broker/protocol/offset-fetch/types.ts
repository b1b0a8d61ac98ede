/**
 * Canonical OffsetFetch request and response, generated from Kafka's OffsetFetchRequest.json and
 * OffsetFetchResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** OffsetFetch response, every supported version (v1-v5) in one shape. */
export interface OffsetFetchResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v3-5 only) */
  throttleTimeMs: number;
  /** The responses per topic. */
  topics: OffsetFetchResponseTopic[];
  /** The top-level error code, or 0 if there was no error. (v2-5 only) */
  errorCode: number;
}

export interface OffsetFetchResponseTopic {
  /** The topic name. */
  name: string;
  /** The responses per partition. */
  partitions: OffsetFetchResponsePartition[];
}

export interface OffsetFetchResponsePartition {
  /** The partition index. */
  partitionIndex: number;
  /** The committed message offset. */
  committedOffset: bigint;
  /** The leader epoch. (v5 only) */
  committedLeaderEpoch: number;
  /** The partition metadata. */
  metadata: string | null;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
}

/** OffsetFetch request, every supported version (v1-v5) in one shape. */
export interface OffsetFetchRequest {
  /** The group to fetch offsets for. */
  groupId: string;
  /** Each topic we would like to fetch offsets for, or null to fetch offsets for all topics. */
  topics: OffsetFetchRequestTopic[] | null;
}

export interface OffsetFetchRequestTopic {
  /** The topic name. */
  name: string;
  /** The partition indexes we would like to fetch offsets for. */
  partitionIndexes: number[];
}
