/** Fetch (key 1): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { FetchRequest, FetchResponse } from './types.ts';
import { fetchV4 } from './fetch-v4.ts';
import { fetchV5 } from './fetch-v5.ts';
import { fetchV6 } from './fetch-v6.ts';
import { fetchV7 } from './fetch-v7.ts';
import { fetchV8 } from './fetch-v8.ts';
import { fetchV9 } from './fetch-v9.ts';
import { fetchV10 } from './fetch-v10.ts';
import { fetchV11 } from './fetch-v11.ts';

export type { FetchRequest, FetchResponse } from './types.ts';

export const fetchVersions: ReadonlyArray<ApiVersionCodec<FetchRequest, FetchResponse>> = [fetchV4, fetchV5, fetchV6, fetchV7, fetchV8, fetchV9, fetchV10, fetchV11];
