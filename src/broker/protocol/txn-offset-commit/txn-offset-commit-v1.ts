/* TxnOffsetCommit Request (Version: 1) => transactional_id group_id producer_id producer_epoch [topics]
   TxnOffsetCommit Response (Version: 1) => throttle_time_ms [topics]
   Version 0's wire format; version 1 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { txnOffsetCommitV0 } from './txn-offset-commit-v0.ts';

export { request, response } from './txn-offset-commit-v0.ts';
export const txnOffsetCommitV1 = sameWireAs(txnOffsetCommitV0, 1);
