/* Heartbeat Request (Version: 1) => group_id generation_id member_id
   Heartbeat Response (Version: 1) => throttle_time_ms error_code
     throttle_time_ms => INT32
   Version 1 adds throttle_time_ms; the request is version 0's (heartbeat-v0.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, struct } from '../schema.ts';
import { request } from './heartbeat-v0.ts';
import type { HeartbeatRequest, HeartbeatResponse } from './types.ts';

export { request };

export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
});

export const heartbeatV1: ApiVersionCodec<HeartbeatRequest, HeartbeatResponse> = versionCodec(ApiKey.Heartbeat, 1, false, request, response);
