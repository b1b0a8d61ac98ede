/* Fetch Request (Version: 10) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
   Fetch Response (Version: 10) => throttle_time_ms error_code session_id [responses]
   Version 9's wire format; version 10 tells the broker the client reads ZStandard-compressed batches (KIP-110). */
import { sameWireAs } from '../api.ts';
import { fetchV9 } from './fetch-v9.ts';

export { request, response } from './fetch-v9.ts';
export const fetchV10 = sameWireAs(fetchV9, 10);
