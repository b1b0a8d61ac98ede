/** CreateTopics (key 19): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { CreateTopicsRequest, CreateTopicsResponse } from './types.ts';
import { createTopicsV2 } from './create-topics-v2.ts';
import { createTopicsV3 } from './create-topics-v3.ts';
import { createTopicsV4 } from './create-topics-v4.ts';

export type { CreateTopicsRequest, CreateTopicsResponse } from './types.ts';

export const createTopicsVersions: ReadonlyArray<ApiVersionCodec<CreateTopicsRequest, CreateTopicsResponse>> = [createTopicsV2, createTopicsV3, createTopicsV4];
