/* Fetch Request (Version: 8) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
   Fetch Response (Version: 8) => throttle_time_ms error_code session_id [responses]
   Version 7's wire format; version 8 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { fetchV7 } from './fetch-v7.ts';

export { request, response } from './fetch-v7.ts';
export const fetchV8 = sameWireAs(fetchV7, 8);
