/** ListGroups (key 16): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { ListGroupsRequest, ListGroupsResponse } from './types.ts';
import { listGroupsV0 } from './list-groups-v0.ts';
import { listGroupsV1 } from './list-groups-v1.ts';
import { listGroupsV2 } from './list-groups-v2.ts';

export type { ListGroupsRequest, ListGroupsResponse } from './types.ts';

export const listGroupsVersions: ReadonlyArray<ApiVersionCodec<ListGroupsRequest, ListGroupsResponse>> = [listGroupsV0, listGroupsV1, listGroupsV2];
