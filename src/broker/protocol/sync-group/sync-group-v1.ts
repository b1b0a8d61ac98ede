/* SyncGroup Request (Version: 1) => group_id generation_id member_id [assignments]
   SyncGroup Response (Version: 1) => throttle_time_ms error_code assignment
     throttle_time_ms => INT32
   Version 1 adds throttle_time_ms; the rest is version 0's (sync-group-v0.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, struct } from '../schema.ts';
import { assignmentV0, request } from './sync-group-v0.ts';
import type { SyncGroupRequest, SyncGroupResponse } from './types.ts';

export { request };

export const response = struct({
  throttleTimeMs: int32,
  ...assignmentV0,
});

export const syncGroupV1: ApiVersionCodec<SyncGroupRequest, SyncGroupResponse> = versionCodec(ApiKey.SyncGroup, 1, false, request, response);
