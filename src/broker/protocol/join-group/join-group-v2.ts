/* JoinGroup Request (Version: 2) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
   JoinGroup Response (Version: 2) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
     throttle_time_ms => INT32
   Version 2 adds throttle_time_ms; the rest is version 1's (join-group-v1.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, struct } from '../schema.ts';
import { electionV0, membersV0 } from './join-group-v0.ts';
import { request } from './join-group-v1.ts';
import type { JoinGroupRequest, JoinGroupResponse } from './types.ts';

export { request };

export const response = struct({
  throttleTimeMs: int32,
  ...electionV0,
  members: membersV0,
});

export const joinGroupV2: ApiVersionCodec<JoinGroupRequest, JoinGroupResponse> = versionCodec(ApiKey.JoinGroup, 2, false, request, response);
