/** LeaveGroup (key 13): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from './types.ts';
import { leaveGroupV0 } from './leave-group-v0.ts';
import { leaveGroupV1 } from './leave-group-v1.ts';
import { leaveGroupV2 } from './leave-group-v2.ts';
import { leaveGroupV3 } from './leave-group-v3.ts';

export type { LeaveGroupRequest, LeaveGroupResponse } from './types.ts';

export const leaveGroupVersions: ReadonlyArray<ApiVersionCodec<LeaveGroupRequest, LeaveGroupResponse>> = [leaveGroupV0, leaveGroupV1, leaveGroupV2, leaveGroupV3];
