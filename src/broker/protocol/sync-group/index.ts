/** SyncGroup (key 14): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { SyncGroupRequest, SyncGroupResponse } from './types.ts';
import { syncGroupV0 } from './sync-group-v0.ts';
import { syncGroupV1 } from './sync-group-v1.ts';
import { syncGroupV2 } from './sync-group-v2.ts';
import { syncGroupV3 } from './sync-group-v3.ts';

export type { SyncGroupRequest, SyncGroupResponse } from './types.ts';

export const syncGroupVersions: ReadonlyArray<ApiVersionCodec<SyncGroupRequest, SyncGroupResponse>> = [syncGroupV0, syncGroupV1, syncGroupV2, syncGroupV3];
