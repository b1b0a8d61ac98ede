/* Produce Request (Version: 6) => transactional_id acks timeout_ms [topic_data]
   Produce Response (Version: 6) => [responses] throttle_time_ms
   Version 5's wire format; version 6 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { produceV5 } from './produce-v5.ts';

export { request, response } from './produce-v5.ts';
export const produceV6 = sameWireAs(produceV5, 6);
