/** Produce (key 0): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { ProduceRequest, ProduceResponse } from './types.ts';
import { produceV3 } from './produce-v3.ts';
import { produceV4 } from './produce-v4.ts';
import { produceV5 } from './produce-v5.ts';
import { produceV6 } from './produce-v6.ts';
import { produceV7 } from './produce-v7.ts';
import { produceV8 } from './produce-v8.ts';

export type { ProduceRequest, ProduceResponse } from './types.ts';

export const produceVersions: ReadonlyArray<ApiVersionCodec<ProduceRequest, ProduceResponse>> = [produceV3, produceV4, produceV5, produceV6, produceV7, produceV8];
