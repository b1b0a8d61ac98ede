/* FindCoordinator Request (Version: 0) => key
     key => STRING

   FindCoordinator Response (Version: 0) => error_code node_id host port
     error_code => INT16
     node_id => INT32
     host => STRING
     port => INT32
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, string, struct } from '../schema.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './types.ts';

export const request = struct({
  key: string,
}, { keyType: 0 });

export const response = struct({
  errorCode: int16,
  nodeId: int32,
  host: string,
  port: int32,
});

export const findCoordinatorV0: ApiVersionCodec<FindCoordinatorRequest, FindCoordinatorResponse> = versionCodec(ApiKey.FindCoordinator, 0, false, request, response);
