/* FindCoordinator Request (Version: 1) => key key_type
     key => STRING
     key_type => INT8

   FindCoordinator Response (Version: 1) => throttle_time_ms error_code error_message node_id host port
     throttle_time_ms => INT32
     error_code => INT16
     error_message => NULLABLE_STRING
     node_id => INT32
     host => STRING
     port => INT32
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, int8, nullableString, string, struct } from '../schema.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './types.ts';

export const request = struct({
  key: string,
  keyType: int8,
});

export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  nodeId: int32,
  host: string,
  port: int32,
});

export const findCoordinatorV1: ApiVersionCodec<FindCoordinatorRequest, FindCoordinatorResponse> = versionCodec(ApiKey.FindCoordinator, 1, false, request, response);
