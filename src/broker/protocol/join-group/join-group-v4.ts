/* JoinGroup Request (Version: 4) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
   JoinGroup Response (Version: 4) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
   Version 2's wire format; version 4 makes a member without an id rejoin with the one MEMBER_ID_REQUIRED hands it (KIP-394). */
import { sameWireAs } from '../api.ts';
import { joinGroupV2 } from './join-group-v2.ts';

export { request, response } from './join-group-v2.ts';
export const joinGroupV4 = sameWireAs(joinGroupV2, 4);
