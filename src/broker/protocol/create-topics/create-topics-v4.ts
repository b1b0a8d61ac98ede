/* CreateTopics Request (Version: 4) => [topics] timeout_ms validate_only
   CreateTopics Response (Version: 4) => throttle_time_ms [topics]
   Version 2's wire format; version 4 lets num_partitions and replication_factor be -1 (the broker default) without assignments (KIP-464). */
import { sameWireAs } from '../api.ts';
import { createTopicsV2 } from './create-topics-v2.ts';

export { request, response } from './create-topics-v2.ts';
export const createTopicsV4 = sameWireAs(createTopicsV2, 4);
