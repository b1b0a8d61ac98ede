/** AddPartitionsToTxn (key 24): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './types.ts';
import { addPartitionsToTxnV0 } from './add-partitions-to-txn-v0.ts';
import { addPartitionsToTxnV1 } from './add-partitions-to-txn-v1.ts';
import { addPartitionsToTxnV2 } from './add-partitions-to-txn-v2.ts';

export type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './types.ts';

export const addPartitionsToTxnVersions: ReadonlyArray<ApiVersionCodec<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>> = [addPartitionsToTxnV0, addPartitionsToTxnV1, addPartitionsToTxnV2];
