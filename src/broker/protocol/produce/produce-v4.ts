/* Produce Request (Version: 4) => transactional_id acks timeout_ms [topic_data]
   Produce Response (Version: 4) => [responses] throttle_time_ms
   Version 3's wire format; version 4 adds KAFKA_STORAGE_ERROR to the partition errors a client must handle. */
import { sameWireAs } from '../api.ts';
import { produceV3 } from './produce-v3.ts';

export { request, response } from './produce-v3.ts';
export const produceV4 = sameWireAs(produceV3, 4);
