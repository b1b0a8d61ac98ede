/* LeaveGroup Request (Version: 1) => group_id member_id
   LeaveGroup Response (Version: 1) => throttle_time_ms error_code
     throttle_time_ms => INT32
   Version 1 adds throttle_time_ms; the request is version 0's (leave-group-v0.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, struct } from '../schema.ts';
import { request } from './leave-group-v0.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from './types.ts';

export { request };

/** Versions 1 and 2 answer for the one member; version 3 keeps these fields and appends members. */
export const resultV1 = {
  throttleTimeMs: int32,
  errorCode: int16,
};

export const response = struct(resultV1);

export const leaveGroupV1: ApiVersionCodec<LeaveGroupRequest, LeaveGroupResponse> = versionCodec(ApiKey.LeaveGroup, 1, false, request, response);
