/* DeleteTopics Request (Version: 2) => [topic_names] timeout_ms
   DeleteTopics Response (Version: 2) => throttle_time_ms [responses]
   Version 1's wire format; version 2 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { deleteTopicsV1 } from './delete-topics-v1.ts';

export { request, response } from './delete-topics-v1.ts';
export const deleteTopicsV2 = sameWireAs(deleteTopicsV1, 2);
