/* Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
     group_instance_id => NULLABLE_STRING
   Heartbeat Response (Version: 3) => throttle_time_ms error_code
   Version 3 adds group_instance_id for static members (KIP-345); the response is version 1's
   (heartbeat-v1.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { nullableString, struct } from '../schema.ts';
import { memberV0 } from './heartbeat-v0.ts';
import { response } from './heartbeat-v1.ts';
import type { HeartbeatRequest, HeartbeatResponse } from './types.ts';

export { response };

export const request = struct({
  ...memberV0,
  groupInstanceId: nullableString,
});

export const heartbeatV3: ApiVersionCodec<HeartbeatRequest, HeartbeatResponse> = versionCodec(ApiKey.Heartbeat, 3, false, request, response);
