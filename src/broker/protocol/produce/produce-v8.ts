/* Produce Request (Version: 8) => transactional_id acks timeout_ms [topic_data]
   Produce Response (Version: 8) => [responses] throttle_time_ms
     partition_responses => index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message
       record_errors => batch_index batch_index_error_message
         batch_index => INT32
         batch_index_error_message => NULLABLE_STRING
       error_message => NULLABLE_STRING
   Version 8 says which records failed and why (KIP-467); the rest is version 5's (produce-v5.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, int32, nullableString, struct } from '../schema.ts';
import { request, responseWith } from './produce-v3.ts';
import { partitionResponseV5 } from './produce-v5.ts';
import type { ProduceRequest, ProduceResponse } from './types.ts';

export { request };

export const response = responseWith({
  ...partitionResponseV5,
  recordErrors: array(struct({
    batchIndex: int32,
    batchIndexErrorMessage: nullableString,
  })),
  errorMessage: nullableString,
});

export const produceV8: ApiVersionCodec<ProduceRequest, ProduceResponse> = versionCodec(ApiKey.Produce, 8, false, request, response);
