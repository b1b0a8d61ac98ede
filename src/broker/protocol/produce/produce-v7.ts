/* Produce Request (Version: 7) => transactional_id acks timeout_ms [topic_data]
   Produce Response (Version: 7) => [responses] throttle_time_ms
   Version 5's wire format; version 7 lets records be ZStandard-compressed (KIP-110). */
import { sameWireAs } from '../api.ts';
import { produceV5 } from './produce-v5.ts';

export { request, response } from './produce-v5.ts';
export const produceV7 = sameWireAs(produceV5, 7);
