/* Heartbeat Request (Version: 0) => group_id generation_id member_id
     group_id => STRING
     generation_id => INT32
     member_id => STRING

   Heartbeat Response (Version: 0) => error_code
     error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, string, struct } from '../schema.ts';
import type { HeartbeatRequest, HeartbeatResponse } from './types.ts';

export const memberV0 = {
  groupId: string,
  generationId: int32,
  memberId: string,
};

export const request = struct(memberV0, { groupInstanceId: null });

export const response = struct({
  errorCode: int16,
});

export const heartbeatV0: ApiVersionCodec<HeartbeatRequest, HeartbeatResponse> = versionCodec(ApiKey.Heartbeat, 0, false, request, response);
