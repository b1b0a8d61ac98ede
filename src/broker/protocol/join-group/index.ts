/** JoinGroup (key 11): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { JoinGroupRequest, JoinGroupResponse } from './types.ts';
import { joinGroupV0 } from './join-group-v0.ts';
import { joinGroupV1 } from './join-group-v1.ts';
import { joinGroupV2 } from './join-group-v2.ts';
import { joinGroupV3 } from './join-group-v3.ts';
import { joinGroupV4 } from './join-group-v4.ts';
import { joinGroupV5 } from './join-group-v5.ts';

export type { JoinGroupRequest, JoinGroupResponse } from './types.ts';

export const joinGroupVersions: ReadonlyArray<ApiVersionCodec<JoinGroupRequest, JoinGroupResponse>> = [joinGroupV0, joinGroupV1, joinGroupV2, joinGroupV3, joinGroupV4, joinGroupV5];
