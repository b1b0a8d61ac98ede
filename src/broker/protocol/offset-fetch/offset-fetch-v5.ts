/* OffsetFetch Request (Version: 5) => group_id [topics]
   OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
     partitions => partition_index committed_offset committed_leader_epoch metadata error_code
       committed_leader_epoch => INT32
   Version 5 adds the committed record's leader epoch (KIP-320); the rest is version 3's
   (offset-fetch-v3.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, int64, nullableString, struct } from '../schema.ts';
import { fetchedTopics } from './offset-fetch-v1.ts';
import { request } from './offset-fetch-v2.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from './types.ts';

export { request };

export const response = struct({
  throttleTimeMs: int32,
  topics: fetchedTopics({
    partitionIndex: int32,
    committedOffset: int64,
    committedLeaderEpoch: int32,
    metadata: nullableString,
    errorCode: int16,
  }),
  errorCode: int16,
});

export const offsetFetchV5: ApiVersionCodec<OffsetFetchRequest, OffsetFetchResponse> = versionCodec(ApiKey.OffsetFetch, 5, false, request, response);
