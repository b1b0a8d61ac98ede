/* ApiVersions Request (Version: 1) =>
   ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
     throttle_time_ms => INT32
   Version 1 adds throttle_time_ms; the rest is version 0's (api-versions-v0.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, int16, int32, struct } from '../schema.ts';
import { apiKeyV0, request } from './api-versions-v0.ts';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types.ts';

export { request };

export const response = struct({
  errorCode: int16,
  apiKeys: array(struct(apiKeyV0)),
  throttleTimeMs: int32,
});

export const apiVersionsV1: ApiVersionCodec<ApiVersionsRequest, ApiVersionsResponse> = versionCodec(ApiKey.ApiVersions, 1, false, request, response);
