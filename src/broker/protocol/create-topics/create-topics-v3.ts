/* CreateTopics Request (Version: 3) => [topics] timeout_ms validate_only
   CreateTopics Response (Version: 3) => throttle_time_ms [topics]
   Version 2's wire format; version 3 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { createTopicsV2 } from './create-topics-v2.ts';

export { request, response } from './create-topics-v2.ts';
export const createTopicsV3 = sameWireAs(createTopicsV2, 3);
