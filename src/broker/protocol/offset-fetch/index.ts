/** OffsetFetch (key 9): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from './types.ts';
import { offsetFetchV1 } from './offset-fetch-v1.ts';
import { offsetFetchV2 } from './offset-fetch-v2.ts';
import { offsetFetchV3 } from './offset-fetch-v3.ts';
import { offsetFetchV4 } from './offset-fetch-v4.ts';
import { offsetFetchV5 } from './offset-fetch-v5.ts';

export type { OffsetFetchRequest, OffsetFetchResponse } from './types.ts';

export const offsetFetchVersions: ReadonlyArray<ApiVersionCodec<OffsetFetchRequest, OffsetFetchResponse>> = [offsetFetchV1, offsetFetchV2, offsetFetchV3, offsetFetchV4, offsetFetchV5];
