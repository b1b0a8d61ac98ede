/* TxnOffsetCommit Request (Version: 2) => transactional_id group_id producer_id producer_epoch [topics]
     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
       committed_leader_epoch => INT32
   TxnOffsetCommit Response (Version: 2) => throttle_time_ms [topics]
   Version 2 adds the committed record's leader epoch (KIP-320); the rest is version 0's
   (txn-offset-commit-v0.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { struct } from '../schema.ts';
import { topicsWith } from '../offset-commit/offset-commit-v2.ts';
import { committedPartitionV6 } from '../offset-commit/offset-commit-v6.ts';
import { response, transactionV0 } from './txn-offset-commit-v0.ts';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './types.ts';

export { response };

export const request = struct({
  ...transactionV0,
  topics: topicsWith(committedPartitionV6, {}),
});

export const txnOffsetCommitV2: ApiVersionCodec<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = versionCodec(ApiKey.TxnOffsetCommit, 2, false, request, response);
