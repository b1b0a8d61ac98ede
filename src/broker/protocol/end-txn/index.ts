/** EndTxn (key 26): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { EndTxnRequest, EndTxnResponse } from './types.ts';
import { endTxnV0 } from './end-txn-v0.ts';
import { endTxnV1 } from './end-txn-v1.ts';
import { endTxnV2 } from './end-txn-v2.ts';

export type { EndTxnRequest, EndTxnResponse } from './types.ts';

export const endTxnVersions: ReadonlyArray<ApiVersionCodec<EndTxnRequest, EndTxnResponse>> = [endTxnV0, endTxnV1, endTxnV2];
