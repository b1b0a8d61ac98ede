/* ApiVersions Request (Version: 3) => client_software_name client_software_version _tagged_fields
     client_software_name => COMPACT_STRING
     client_software_version => COMPACT_STRING

   ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms _tagged_fields
     error_code => INT16
     api_keys => api_key min_version max_version _tagged_fields
       api_key => INT16
       min_version => INT16
       max_version => INT16
     throttle_time_ms => INT32
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { compactArray, compactString, flexStruct, int16, int32 } from '../schema.ts';
import { apiKeyV0 } from './api-versions-v0.ts';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types.ts';

export const request = flexStruct({
  clientSoftwareName: compactString,
  clientSoftwareVersion: compactString,
});

export const response = flexStruct({
  errorCode: int16,
  apiKeys: compactArray(flexStruct(apiKeyV0)),
  throttleTimeMs: int32,
});

export const apiVersionsV3: ApiVersionCodec<ApiVersionsRequest, ApiVersionsResponse> = versionCodec(ApiKey.ApiVersions, 3, true, request, response);
