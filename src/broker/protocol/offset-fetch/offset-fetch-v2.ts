/* OffsetFetch Request (Version: 2) => group_id [topics]
     topics => name [partition_indexes] (null: every partition the group has committed)
   OffsetFetch Response (Version: 2) => [topics] error_code
     error_code => INT16
   Version 2 makes topics nullable and adds a top-level error code; the rest is version 1's
   (offset-fetch-v1.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, nullableArray, string, struct } from '../schema.ts';
import { fetchedPartitionV1, fetchedTopics, requestTopic } from './offset-fetch-v1.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from './types.ts';

export const request = struct({
  groupId: string,
  topics: nullableArray(requestTopic),
});

export const response = struct({
  topics: fetchedTopics(fetchedPartitionV1),
  errorCode: int16,
});

export const offsetFetchV2: ApiVersionCodec<OffsetFetchRequest, OffsetFetchResponse> = versionCodec(ApiKey.OffsetFetch, 2, false, request, response);
