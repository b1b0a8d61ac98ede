/** DeleteTopics (key 20): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './types.ts';
import { deleteTopicsV1 } from './delete-topics-v1.ts';
import { deleteTopicsV2 } from './delete-topics-v2.ts';
import { deleteTopicsV3 } from './delete-topics-v3.ts';

export type { DeleteTopicsRequest, DeleteTopicsResponse } from './types.ts';

export const deleteTopicsVersions: ReadonlyArray<ApiVersionCodec<DeleteTopicsRequest, DeleteTopicsResponse>> = [deleteTopicsV1, deleteTopicsV2, deleteTopicsV3];
