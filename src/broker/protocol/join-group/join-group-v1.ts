/* JoinGroup Request (Version: 1) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
     rebalance_timeout_ms => INT32
   JoinGroup Response (Version: 1) => error_code generation_id protocol_name leader member_id [members]
   Version 1 adds rebalance_timeout_ms (before it, the session timeout bounded a rebalance too); the
   rest is version 0's (join-group-v0.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, string, struct } from '../schema.ts';
import { protocols, response } from './join-group-v0.ts';
import type { JoinGroupRequest, JoinGroupResponse } from './types.ts';

export { response };

/** The request fields before group_instance_id (version 5 inserts it there). */
export const memberTimeoutsV1 = {
  groupId: string,
  sessionTimeoutMs: int32,
  rebalanceTimeoutMs: int32,
  memberId: string,
};

export const request = struct({
  ...memberTimeoutsV1,
  protocolType: string,
  protocols,
}, { groupInstanceId: null });

export const joinGroupV1: ApiVersionCodec<JoinGroupRequest, JoinGroupResponse> = versionCodec(ApiKey.JoinGroup, 1, false, request, response);
