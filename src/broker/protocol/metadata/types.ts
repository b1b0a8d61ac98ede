/**
 * Canonical Metadata request and response, generated from Kafka's MetadataRequest.json and
 * MetadataResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** Metadata response, every supported version (v0-v8) in one shape. */
export interface MetadataResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v3-8 only) */
  throttleTimeMs: number;
  /** A list of brokers present in the cluster. */
  brokers: MetadataResponseBroker[];
  /** The cluster ID that responding broker belongs to. (v2-8 only) */
  clusterId: string | null;
  /** The ID of the controller broker. (v1-8 only) */
  controllerId: number;
  /** Each topic in the response. */
  topics: MetadataResponseTopic[];
  /** 32-bit bitfield to represent authorized operations for this cluster. (v8 only) */
  clusterAuthorizedOperations: number;
}

export interface MetadataResponseTopic {
  /** The topic error, or 0 if there was no error. */
  errorCode: number;
  /** The topic name. Null for non-existing topics queried by ID. This is never null when ErrorCode is zero. One of Name and TopicId is always populated. */
  name: string;
  /** True if the topic is internal. (v1-8 only) */
  isInternal: boolean;
  /** Each partition in the topic. */
  partitions: MetadataResponsePartition[];
  /** 32-bit bitfield to represent authorized operations for this topic. (v8 only) */
  topicAuthorizedOperations: number;
}

export interface MetadataResponsePartition {
  /** The partition error, or 0 if there was no error. */
  errorCode: number;
  /** The partition index. */
  partitionIndex: number;
  /** The ID of the leader broker. */
  leaderId: number;
  /** The leader epoch of this partition. (v7-8 only) */
  leaderEpoch: number;
  /** The set of all nodes that host this partition. */
  replicaNodes: number[];
  /** The set of nodes that are in sync with the leader for this partition. */
  isrNodes: number[];
  /** The set of offline replicas of this partition. (v5-8 only) */
  offlineReplicas: number[];
}

export interface MetadataResponseBroker {
  /** The broker ID. */
  nodeId: number;
  /** The broker hostname. */
  host: string;
  /** The broker port. */
  port: number;
  /** The rack of the broker, or null if it has not been assigned to a rack. (v1-8 only) */
  rack: string | null;
}

/** Metadata request, every supported version (v0-v8) in one shape. */
export interface MetadataRequest {
  /** The topics to fetch metadata for. */
  topics: MetadataRequestTopic[] | null;
  /** If this is true, the broker may auto-create topics that we requested which do not already exist, if it is configured to do so. (v4-8 only; default true) */
  allowAutoTopicCreation: boolean;
  /** Whether to include cluster authorized operations. (v8 only; default false) */
  includeClusterAuthorizedOperations: boolean;
  /** Whether to include topic authorized operations. (v8 only; default false) */
  includeTopicAuthorizedOperations: boolean;
}

export interface MetadataRequestTopic {
  /** The topic name. */
  name: string;
}
