/* OffsetCommit Request (Version: 2) => group_id generation_id_or_member_epoch member_id retention_time_ms [topics]
     group_id => STRING
     generation_id_or_member_epoch => INT32
     member_id => STRING
     retention_time_ms => INT64
     topics => name [partitions]
       name => STRING
       partitions => partition_index committed_offset committed_metadata
         partition_index => INT32
         committed_offset => INT64
         committed_metadata => NULLABLE_STRING

   OffsetCommit Response (Version: 2) => [topics]
     topics => name [partitions]
       name => STRING
       partitions => partition_index error_code
         partition_index => INT32
         error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, type Fields, int16, int32, int64, nullableString, string, struct } from '../schema.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from './types.ts';

/** topics => name [partitions], around a version's partition fields. TxnOffsetCommit shares it. */
export function topicsWith<F extends Fields, D extends object>(partition: F, partitionDefaults: D) {
  return array(struct({
    name: string,
    partitions: array(struct(partition, partitionDefaults)),
  }));
}

/** The member fields every version up to 7 starts with. */
export const memberV2 = {
  groupId: string,
  generationIdOrMemberEpoch: int32,
  memberId: string,
};

/** A committed partition before version 6 added its leader epoch. */
export const committedPartitionV2 = {
  partitionIndex: int32,
  committedOffset: int64,
  committedMetadata: nullableString,
};

export const partitionErrors = topicsWith({ partitionIndex: int32, errorCode: int16 }, {});

export const request = struct({
  ...memberV2,
  retentionTimeMs: int64,
  topics: topicsWith(committedPartitionV2, { committedLeaderEpoch: -1 }),
}, { groupInstanceId: null });

export const response = struct({
  topics: partitionErrors,
});

export const offsetCommitV2: ApiVersionCodec<OffsetCommitRequest, OffsetCommitResponse> = versionCodec(ApiKey.OffsetCommit, 2, false, request, response);
