/* OffsetCommit Request (Version: 6) => group_id generation_id_or_member_epoch member_id [topics]
     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
       committed_leader_epoch => INT32
   OffsetCommit Response (Version: 6) => throttle_time_ms [topics]
   Version 6 adds the committed record's leader epoch (KIP-320); the rest is version 5's
   (offset-commit-v5.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, int64, nullableString, struct } from '../schema.ts';
import { memberV2, topicsWith } from './offset-commit-v2.ts';
import { response } from './offset-commit-v3.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from './types.ts';

export { response };

/** A committed partition from version 6 on; TxnOffsetCommit v2 has the same. */
export const committedPartitionV6 = {
  partitionIndex: int32,
  committedOffset: int64,
  committedLeaderEpoch: int32,
  committedMetadata: nullableString,
};

export const request = struct({
  ...memberV2,
  topics: topicsWith(committedPartitionV6, {}),
}, { groupInstanceId: null, retentionTimeMs: -1n });

export const offsetCommitV6: ApiVersionCodec<OffsetCommitRequest, OffsetCommitResponse> = versionCodec(ApiKey.OffsetCommit, 6, false, request, response);
