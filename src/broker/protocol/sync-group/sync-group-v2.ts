/* SyncGroup Request (Version: 2) => group_id generation_id member_id [assignments]
   SyncGroup Response (Version: 2) => throttle_time_ms error_code assignment
   Version 1's wire format; version 2 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { syncGroupV1 } from './sync-group-v1.ts';

export { request, response } from './sync-group-v1.ts';
export const syncGroupV2 = sameWireAs(syncGroupV1, 2);
