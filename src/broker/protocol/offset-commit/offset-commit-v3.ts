/* OffsetCommit Request (Version: 3) => group_id generation_id_or_member_epoch member_id retention_time_ms [topics]
   OffsetCommit Response (Version: 3) => throttle_time_ms [topics]
     throttle_time_ms => INT32
   Version 3 adds throttle_time_ms to the response; the rest is version 2's (offset-commit-v2.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, struct } from '../schema.ts';
import { partitionErrors, request } from './offset-commit-v2.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from './types.ts';

export { request };

export const response = struct({
  throttleTimeMs: int32,
  topics: partitionErrors,
});

export const offsetCommitV3: ApiVersionCodec<OffsetCommitRequest, OffsetCommitResponse> = versionCodec(ApiKey.OffsetCommit, 3, false, request, response);
