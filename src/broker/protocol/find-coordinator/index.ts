/** FindCoordinator (key 10): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './types.ts';
import { findCoordinatorV0 } from './find-coordinator-v0.ts';
import { findCoordinatorV1 } from './find-coordinator-v1.ts';
import { findCoordinatorV2 } from './find-coordinator-v2.ts';
import { findCoordinatorV3 } from './find-coordinator-v3.ts';

export type { FindCoordinatorRequest, FindCoordinatorResponse } from './types.ts';

export const findCoordinatorVersions: ReadonlyArray<ApiVersionCodec<FindCoordinatorRequest, FindCoordinatorResponse>> = [findCoordinatorV0, findCoordinatorV1, findCoordinatorV2, findCoordinatorV3];
