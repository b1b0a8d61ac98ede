/**
 * Canonical OffsetCommit request and response, generated from Kafka's OffsetCommitRequest.json and
 * OffsetCommitResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** OffsetCommit response, every supported version (v2-v7) in one shape. */
export interface OffsetCommitResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v3-7 only) */
  throttleTimeMs: number;
  /** The responses for each topic. */
  topics: OffsetCommitResponseTopic[];
}

export interface OffsetCommitResponseTopic {
  /** The topic name. */
  name: string;
  /** The responses for each partition in the topic. */
  partitions: OffsetCommitResponsePartition[];
}

export interface OffsetCommitResponsePartition {
  /** The partition index. */
  partitionIndex: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
}

/** OffsetCommit request, every supported version (v2-v7) in one shape. */
export interface OffsetCommitRequest {
  /** The unique group identifier. */
  groupId: string;
  /** The generation of the group if using the classic group protocol or the member epoch if using the consumer protocol. */
  generationIdOrMemberEpoch: number;
  /** The member ID assigned by the group coordinator. */
  memberId: string;
  /** The unique identifier of the consumer instance provided by end user. (v7 only; default null) */
  groupInstanceId: string | null;
  /** The time period in ms to retain the offset. (v2-4 only; default -1n) */
  retentionTimeMs: bigint;
  /** The topics to commit offsets for. */
  topics: OffsetCommitRequestTopic[];
}

export interface OffsetCommitRequestTopic {
  /** The topic name. */
  name: string;
  /** Each partition to commit offsets for. */
  partitions: OffsetCommitRequestPartition[];
}

export interface OffsetCommitRequestPartition {
  /** The partition index. */
  partitionIndex: number;
  /** The message offset to be committed. */
  committedOffset: bigint;
  /** The leader epoch of this partition. (v6-7 only; default -1) */
  committedLeaderEpoch: number;
  /** Any associated metadata the client wants to keep. */
  committedMetadata: string | null;
}
