/* Metadata Request (Version: 6) => [topics] allow_auto_topic_creation
   Metadata Response (Version: 6) => throttle_time_ms [brokers] cluster_id controller_id [topics]
   Version 5's wire format; version 6 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { metadataV5 } from './metadata-v5.ts';

export { request, response } from './metadata-v5.ts';
export const metadataV6 = sameWireAs(metadataV5, 6);
