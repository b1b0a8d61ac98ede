/* Produce Request (Version: 5) => transactional_id acks timeout_ms [topic_data]
   Produce Response (Version: 5) => [responses] throttle_time_ms
     partition_responses => index error_code base_offset log_append_time_ms log_start_offset
       log_start_offset => INT64
   Version 5 adds log_start_offset to the partition results (so idempotent producers can tell a
   deleted prefix from a lost sequence); everything else is version 3's (produce-v3.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int64 } from '../schema.ts';
import { partitionResponseV3, request, responseWith } from './produce-v3.ts';
import type { ProduceRequest, ProduceResponse } from './types.ts';

export { request };

export const partitionResponseV5 = { ...partitionResponseV3, logStartOffset: int64 };

export const response = responseWith(partitionResponseV5);

export const produceV5: ApiVersionCodec<ProduceRequest, ProduceResponse> = versionCodec(ApiKey.Produce, 5, false, request, response);
