/** InitProducerId (key 22): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.ts';
import { initProducerIdV0 } from './init-producer-id-v0.ts';
import { initProducerIdV1 } from './init-producer-id-v1.ts';
import { initProducerIdV2 } from './init-producer-id-v2.ts';
import { initProducerIdV3 } from './init-producer-id-v3.ts';
import { initProducerIdV4 } from './init-producer-id-v4.ts';

export type { InitProducerIdRequest, InitProducerIdResponse } from './types.ts';

export const initProducerIdVersions: ReadonlyArray<ApiVersionCodec<InitProducerIdRequest, InitProducerIdResponse>> = [initProducerIdV0, initProducerIdV1, initProducerIdV2, initProducerIdV3, initProducerIdV4];
