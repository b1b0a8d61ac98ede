/* LeaveGroup Request (Version: 2) => group_id member_id
   LeaveGroup Response (Version: 2) => throttle_time_ms error_code
   Version 1's wire format; version 2 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { leaveGroupV1 } from './leave-group-v1.ts';

export { request, response } from './leave-group-v1.ts';
export const leaveGroupV2 = sameWireAs(leaveGroupV1, 2);
