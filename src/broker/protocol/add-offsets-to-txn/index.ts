/** AddOffsetsToTxn (key 25): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './types.ts';
import { addOffsetsToTxnV0 } from './add-offsets-to-txn-v0.ts';
import { addOffsetsToTxnV1 } from './add-offsets-to-txn-v1.ts';
import { addOffsetsToTxnV2 } from './add-offsets-to-txn-v2.ts';

export type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from './types.ts';

export const addOffsetsToTxnVersions: ReadonlyArray<ApiVersionCodec<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>> = [addOffsetsToTxnV0, addOffsetsToTxnV1, addOffsetsToTxnV2];
