/* ApiVersions Request (Version: 0) => 

   ApiVersions Response (Version: 0) => error_code [api_keys]
     error_code => INT16
     api_keys => api_key min_version max_version
       api_key => INT16
       min_version => INT16
       max_version => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, int16, struct } from '../schema.ts';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types.ts';

/** One advertised API; the flexible version 3 wraps the same fields with tagged fields. */
export const apiKeyV0 = {
  apiKey: int16,
  minVersion: int16,
  maxVersion: int16,
};

export const request = struct({}, { clientSoftwareName: '', clientSoftwareVersion: '' });

export const response = struct({
  errorCode: int16,
  apiKeys: array(struct(apiKeyV0)),
});

export const apiVersionsV0: ApiVersionCodec<ApiVersionsRequest, ApiVersionsResponse> = versionCodec(ApiKey.ApiVersions, 0, false, request, response);
