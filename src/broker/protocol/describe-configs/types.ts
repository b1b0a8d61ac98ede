/**
 * Canonical DescribeConfigs request and response, generated from Kafka's DescribeConfigsRequest.json and
 * DescribeConfigsResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** DescribeConfigs response, every supported version (v1-v2) in one shape. */
export interface DescribeConfigsResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. */
  throttleTimeMs: number;
  /** The results for each resource. */
  results: DescribeConfigsResult[];
}

export interface DescribeConfigsResult {
  /** The error code, or 0 if we were able to successfully describe the configurations. */
  errorCode: number;
  /** The error message, or null if we were able to successfully describe the configurations. */
  errorMessage: string | null;
  /** The resource type. */
  resourceType: number;
  /** The resource name. */
  resourceName: string;
  /** Each listed configuration. */
  configs: DescribeConfigsResourceResult[];
}

export interface DescribeConfigsResourceResult {
  /** The configuration name. */
  name: string;
  /** The configuration value. */
  value: string | null;
  /** True if the configuration is read-only. */
  readOnly: boolean;
  /** The configuration source. */
  configSource: number;
  /** True if this configuration is sensitive. */
  isSensitive: boolean;
  /** The synonyms for this configuration key. */
  synonyms: DescribeConfigsSynonym[];
}

export interface DescribeConfigsSynonym {
  /** The synonym name. */
  name: string;
  /** The synonym value. */
  value: string | null;
  /** The synonym source. */
  source: number;
}

/** DescribeConfigs request, every supported version (v1-v2) in one shape. */
export interface DescribeConfigsRequest {
  /** The resources whose configurations we want to describe. */
  resources: DescribeConfigsResource[];
  /** True if we should include all synonyms. */
  includeSynonyms: boolean;
}

export interface DescribeConfigsResource {
  /** The resource type. */
  resourceType: number;
  /** The resource name. */
  resourceName: string;
  /** The configuration keys to list, or null to list all configuration keys. */
  configurationKeys: string[] | null;
}
