/* Produce Request (Version: 3) => transactional_id acks timeout_ms [topic_data]
     transactional_id => NULLABLE_STRING
     acks => INT16
     timeout_ms => INT32
     topic_data => name [partition_data]
       name => STRING
       partition_data => index records
         index => INT32
         records => RECORDS

   Produce Response (Version: 3) => [responses] throttle_time_ms
     responses => name [partition_responses]
       name => STRING
       partition_responses => index error_code base_offset log_append_time_ms
         index => INT32
         error_code => INT16
         base_offset => INT64
         log_append_time_ms => INT64
     throttle_time_ms => INT32
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, type Fields, int16, int32, int64, nullableString, records, string, struct } from '../schema.ts';
import type { ProduceRequest, ProduceResponse } from './types.ts';

export const request = struct({
  transactionalId: nullableString,
  acks: int16,
  timeoutMs: int32,
  topicData: array(struct({
    name: string,
    partitionData: array(struct({
      index: int32,
      records: records,
    })),
  })),
});

/** Up to version 8 only the partition results change, and only by fields appended at their end. */
export function responseWith<F extends Fields>(partitionResponse: F) {
  return struct({
    responses: array(struct({
      name: string,
      partitionResponses: array(struct(partitionResponse)),
    })),
    throttleTimeMs: int32,
  });
}

export const partitionResponseV3 = {
  index: int32,
  errorCode: int16,
  baseOffset: int64,
  logAppendTimeMs: int64,
};

export const response = responseWith(partitionResponseV3);

export const produceV3: ApiVersionCodec<ProduceRequest, ProduceResponse> = versionCodec(ApiKey.Produce, 3, false, request, response);
