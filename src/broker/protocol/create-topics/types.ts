/**
 * Canonical CreateTopics request and response, generated from Kafka's CreateTopicsRequest.json and
 * CreateTopicsResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** CreateTopics response, every supported version (v2-v4) in one shape. */
export interface CreateTopicsResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
  /** Results for each topic we tried to create. */
  topics: CreateTopicsCreatableTopicResult[];
}

export interface CreateTopicsCreatableTopicResult {
  /** The topic name. */
  name: string;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
  /** The error message, or null if there was no error. */
  errorMessage: string | null;
}

/** CreateTopics request, every supported version (v2-v4) in one shape. */
export interface CreateTopicsRequest {
  /** The topics to create. */
  topics: CreateTopicsCreatableTopic[];
  /** How long to wait in milliseconds before timing out the request. */
  timeoutMs: number;
  /** If true, check that the topics can be created as specified, but don't create anything. */
  validateOnly: boolean;
}

export interface CreateTopicsCreatableTopic {
  /** The topic name. */
  name: string;
  /** The number of partitions to create in the topic, or -1 if we are either specifying a manual partition assignment or using the default partitions. */
  numPartitions: number;
  /** The number of replicas to create for each partition in the topic, or -1 if we are either specifying a manual partition assignment or using the default replication factor. */
  replicationFactor: number;
  /** The manual partition assignment, or the empty array if we are using automatic assignment. */
  assignments: CreateTopicsCreatableReplicaAssignment[];
  /** The custom topic configurations to set. */
  configs: CreateTopicsCreatableTopicConfig[];
}

export interface CreateTopicsCreatableTopicConfig {
  /** The configuration name. */
  name: string;
  /** The configuration value. */
  value: string | null;
}

export interface CreateTopicsCreatableReplicaAssignment {
  /** The partition index. */
  partitionIndex: number;
  /** The brokers to place the partition on. */
  brokerIds: number[];
}
