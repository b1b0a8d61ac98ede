/** ApiVersions (key 18): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types.ts';
import { apiVersionsV0 } from './api-versions-v0.ts';
import { apiVersionsV1 } from './api-versions-v1.ts';
import { apiVersionsV2 } from './api-versions-v2.ts';
import { apiVersionsV3 } from './api-versions-v3.ts';

export type { ApiVersionsRequest, ApiVersionsResponse } from './types.ts';

export const apiVersionsVersions: ReadonlyArray<ApiVersionCodec<ApiVersionsRequest, ApiVersionsResponse>> = [apiVersionsV0, apiVersionsV1, apiVersionsV2, apiVersionsV3];
