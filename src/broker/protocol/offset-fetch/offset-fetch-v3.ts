/* OffsetFetch Request (Version: 3) => group_id [topics]
   OffsetFetch Response (Version: 3) => throttle_time_ms [topics] error_code
     throttle_time_ms => INT32
   Version 3 adds throttle_time_ms; the rest is version 2's (offset-fetch-v2.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, struct } from '../schema.ts';
import { fetchedPartitionV1, fetchedTopics } from './offset-fetch-v1.ts';
import { request } from './offset-fetch-v2.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from './types.ts';

export { request };

export const response = struct({
  throttleTimeMs: int32,
  topics: fetchedTopics(fetchedPartitionV1),
  errorCode: int16,
});

export const offsetFetchV3: ApiVersionCodec<OffsetFetchRequest, OffsetFetchResponse> = versionCodec(ApiKey.OffsetFetch, 3, false, request, response);
