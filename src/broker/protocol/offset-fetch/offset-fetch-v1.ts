/* OffsetFetch Request (Version: 1) => group_id [topics]
     group_id => STRING
     topics => name [partition_indexes]
       name => STRING
       partition_indexes => INT32

   OffsetFetch Response (Version: 1) => [topics]
     topics => name [partitions]
       name => STRING
       partitions => partition_index committed_offset metadata error_code
         partition_index => INT32
         committed_offset => INT64
         metadata => NULLABLE_STRING
         error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, type Fields, int16, int32, int64, nullableString, string, struct } from '../schema.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from './types.ts';

export const requestTopic = struct({
  name: string,
  partitionIndexes: array(int32),
});

/** topics => name [partitions] of the response, around a version's partition fields. */
export function fetchedTopics<F extends Fields>(partition: F) {
  return array(struct({ name: string, partitions: array(struct(partition)) }));
}

export const fetchedPartitionV1 = {
  partitionIndex: int32,
  committedOffset: int64,
  metadata: nullableString,
  errorCode: int16,
};

export const request = struct({
  groupId: string,
  topics: array(requestTopic),
});

export const response = struct({
  topics: fetchedTopics(fetchedPartitionV1),
});

export const offsetFetchV1: ApiVersionCodec<OffsetFetchRequest, OffsetFetchResponse> = versionCodec(ApiKey.OffsetFetch, 1, false, request, response);
