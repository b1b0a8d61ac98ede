/**
 * Canonical ApiVersions request and response, generated from Kafka's ApiVersionsRequest.json and
 * ApiVersionsResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** ApiVersions response, every supported version (v0-v3) in one shape. */
export interface ApiVersionsResponse {
  /** The top-level error code. */
  errorCode: number;
  /** The APIs supported by the broker. */
  apiKeys: ApiVersionsApiVersion[];
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v1-3 only) */
  throttleTimeMs: number;
}

export interface ApiVersionsApiVersion {
  /** The API index. */
  apiKey: number;
  /** The minimum supported version, inclusive. */
  minVersion: number;
  /** The maximum supported version, inclusive. */
  maxVersion: number;
}

/** ApiVersions request, every supported version (v0-v3) in one shape. */
export interface ApiVersionsRequest {
  /** The name of the client. (v3 only; default '') */
  clientSoftwareName: string;
  /** The version of the client. (v3 only; default '') */
  clientSoftwareVersion: string;
}
