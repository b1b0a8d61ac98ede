/** Metadata (key 3): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { MetadataRequest, MetadataResponse } from './types.ts';
import { metadataV0 } from './metadata-v0.ts';
import { metadataV1 } from './metadata-v1.ts';
import { metadataV2 } from './metadata-v2.ts';
import { metadataV3 } from './metadata-v3.ts';
import { metadataV4 } from './metadata-v4.ts';
import { metadataV5 } from './metadata-v5.ts';
import { metadataV6 } from './metadata-v6.ts';
import { metadataV7 } from './metadata-v7.ts';
import { metadataV8 } from './metadata-v8.ts';

export type { MetadataRequest, MetadataResponse } from './types.ts';

export const metadataVersions: ReadonlyArray<ApiVersionCodec<MetadataRequest, MetadataResponse>> = [metadataV0, metadataV1, metadataV2, metadataV3, metadataV4, metadataV5, metadataV6, metadataV7, metadataV8];
