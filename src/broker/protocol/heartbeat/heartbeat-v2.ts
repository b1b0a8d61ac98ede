/* Heartbeat Request (Version: 2) => group_id generation_id member_id
   Heartbeat Response (Version: 2) => throttle_time_ms error_code
   Version 1's wire format; version 2 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { heartbeatV1 } from './heartbeat-v1.ts';

export { request, response } from './heartbeat-v1.ts';
export const heartbeatV2 = sameWireAs(heartbeatV1, 2);
