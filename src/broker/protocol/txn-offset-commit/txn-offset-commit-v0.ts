/* TxnOffsetCommit Request (Version: 0) => transactional_id group_id producer_id producer_epoch [topics]
     transactional_id => STRING
     group_id => STRING
     producer_id => INT64
     producer_epoch => INT16
     topics => name [partitions]
       name => STRING
       partitions => partition_index committed_offset committed_metadata
         partition_index => INT32
         committed_offset => INT64
         committed_metadata => NULLABLE_STRING

   TxnOffsetCommit Response (Version: 0) => throttle_time_ms [topics]
     throttle_time_ms => INT32
     topics => name [partitions]
       name => STRING
       partitions => partition_index error_code
         partition_index => INT32
         error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int64, string, struct } from '../schema.ts';
import { committedPartitionV2, topicsWith } from '../offset-commit/offset-commit-v2.ts';
import { response } from '../offset-commit/offset-commit-v3.ts';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './types.ts';

// Kafka defines the topics and the response exactly as OffsetCommit's, so the layouts are shared.
export { response };

export const transactionV0 = {
  transactionalId: string,
  groupId: string,
  producerId: int64,
  producerEpoch: int16,
};

export const request = struct({
  ...transactionV0,
  topics: topicsWith(committedPartitionV2, { committedLeaderEpoch: -1 }),
});

export const txnOffsetCommitV0: ApiVersionCodec<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = versionCodec(ApiKey.TxnOffsetCommit, 0, false, request, response);
