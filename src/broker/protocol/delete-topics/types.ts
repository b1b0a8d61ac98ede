/**
 * Canonical DeleteTopics request and response, generated from Kafka's DeleteTopicsRequest.json and
 * DeleteTopicsResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** DeleteTopics response, every supported version (v1-v3) in one shape. */
export interface DeleteTopicsResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
  /** The results for each topic we tried to delete. */
  responses: DeleteTopicsDeletableTopicResult[];
}

export interface DeleteTopicsDeletableTopicResult {
  /** The topic name. */
  name: string;
  /** The deletion error, or 0 if the deletion succeeded. */
  errorCode: number;
}

/** DeleteTopics request, every supported version (v1-v3) in one shape. */
export interface DeleteTopicsRequest {
  /** The names of the topics to delete. */
  topicNames: string[];
  /** The length of time in milliseconds to wait for the deletions to complete. */
  timeoutMs: number;
}
