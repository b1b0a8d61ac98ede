/* OffsetCommit Request (Version: 7) => group_id generation_id_or_member_epoch member_id group_instance_id [topics]
     group_instance_id => NULLABLE_STRING
   OffsetCommit Response (Version: 7) => throttle_time_ms [topics]
   Version 7 adds group_instance_id for static members (KIP-345); the rest is version 6's
   (offset-commit-v6.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { nullableString, struct } from '../schema.ts';
import { memberV2, topicsWith } from './offset-commit-v2.ts';
import { response } from './offset-commit-v3.ts';
import { committedPartitionV6 } from './offset-commit-v6.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from './types.ts';

export { response };

export const request = struct({
  ...memberV2,
  groupInstanceId: nullableString,
  topics: topicsWith(committedPartitionV6, {}),
}, { retentionTimeMs: -1n });

export const offsetCommitV7: ApiVersionCodec<OffsetCommitRequest, OffsetCommitResponse> = versionCodec(ApiKey.OffsetCommit, 7, false, request, response);
