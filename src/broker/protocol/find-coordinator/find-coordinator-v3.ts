/* FindCoordinator Request (Version: 3) => key key_type _tagged_fields
     key => COMPACT_STRING
     key_type => INT8

   FindCoordinator Response (Version: 3) => throttle_time_ms error_code error_message node_id host port _tagged_fields
     throttle_time_ms => INT32
     error_code => INT16
     error_message => COMPACT_NULLABLE_STRING
     node_id => INT32
     host => COMPACT_STRING
     port => INT32
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { compactNullableString, compactString, flexStruct, int16, int32, int8 } from '../schema.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './types.ts';

export const request = flexStruct({
  key: compactString,
  keyType: int8,
});

export const response = flexStruct({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: compactNullableString,
  nodeId: int32,
  host: compactString,
  port: int32,
});

export const findCoordinatorV3: ApiVersionCodec<FindCoordinatorRequest, FindCoordinatorResponse> = versionCodec(ApiKey.FindCoordinator, 3, true, request, response);
