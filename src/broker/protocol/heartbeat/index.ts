/** Heartbeat (key 12): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { HeartbeatRequest, HeartbeatResponse } from './types.ts';
import { heartbeatV0 } from './heartbeat-v0.ts';
import { heartbeatV1 } from './heartbeat-v1.ts';
import { heartbeatV2 } from './heartbeat-v2.ts';
import { heartbeatV3 } from './heartbeat-v3.ts';

export type { HeartbeatRequest, HeartbeatResponse } from './types.ts';

export const heartbeatVersions: ReadonlyArray<ApiVersionCodec<HeartbeatRequest, HeartbeatResponse>> = [heartbeatV0, heartbeatV1, heartbeatV2, heartbeatV3];
