/** TxnOffsetCommit (key 28): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './types.ts';
import { txnOffsetCommitV0 } from './txn-offset-commit-v0.ts';
import { txnOffsetCommitV1 } from './txn-offset-commit-v1.ts';
import { txnOffsetCommitV2 } from './txn-offset-commit-v2.ts';

export type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from './types.ts';

export const txnOffsetCommitVersions: ReadonlyArray<ApiVersionCodec<TxnOffsetCommitRequest, TxnOffsetCommitResponse>> = [txnOffsetCommitV0, txnOffsetCommitV1, txnOffsetCommitV2];
