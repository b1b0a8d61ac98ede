/** ListOffsets (key 2): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.ts';
import { listOffsetsV1 } from './list-offsets-v1.ts';
import { listOffsetsV2 } from './list-offsets-v2.ts';
import { listOffsetsV3 } from './list-offsets-v3.ts';
import { listOffsetsV4 } from './list-offsets-v4.ts';
import { listOffsetsV5 } from './list-offsets-v5.ts';

export type { ListOffsetsRequest, ListOffsetsResponse } from './types.ts';

export const listOffsetsVersions: ReadonlyArray<ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse>> = [listOffsetsV1, listOffsetsV2, listOffsetsV3, listOffsetsV4, listOffsetsV5];
