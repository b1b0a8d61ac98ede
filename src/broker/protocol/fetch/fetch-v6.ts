/* Fetch Request (Version: 6) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
   Fetch Response (Version: 6) => throttle_time_ms [responses]
   Version 5's wire format; version 6 adds KAFKA_STORAGE_ERROR to the partition errors a client must handle. */
import { sameWireAs } from '../api.ts';
import { fetchV5 } from './fetch-v5.ts';

export { request, response } from './fetch-v5.ts';
export const fetchV6 = sameWireAs(fetchV5, 6);
