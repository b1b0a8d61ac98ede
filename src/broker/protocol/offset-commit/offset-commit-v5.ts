/* OffsetCommit Request (Version: 5) => group_id generation_id_or_member_epoch member_id [topics]
   OffsetCommit Response (Version: 5) => throttle_time_ms [topics]
   Version 5 drops retention_time_ms (retention is the broker's offsets.retention.minutes); the rest
   is version 3's (offset-commit-v3.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { struct } from '../schema.ts';
import { committedPartitionV2, memberV2, topicsWith } from './offset-commit-v2.ts';
import { response } from './offset-commit-v3.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from './types.ts';

export { response };

export const request = struct({
  ...memberV2,
  topics: topicsWith(committedPartitionV2, { committedLeaderEpoch: -1 }),
}, { groupInstanceId: null, retentionTimeMs: -1n });

export const offsetCommitV5: ApiVersionCodec<OffsetCommitRequest, OffsetCommitResponse> = versionCodec(ApiKey.OffsetCommit, 5, false, request, response);
