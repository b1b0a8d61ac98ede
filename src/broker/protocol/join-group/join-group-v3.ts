/* JoinGroup Request (Version: 3) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
   JoinGroup Response (Version: 3) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
   Version 2's wire format; version 3 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { joinGroupV2 } from './join-group-v2.ts';

export { request, response } from './join-group-v2.ts';
export const joinGroupV3 = sameWireAs(joinGroupV2, 3);
