/** DescribeGroups (key 15): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './types.ts';
import { describeGroupsV0 } from './describe-groups-v0.ts';
import { describeGroupsV1 } from './describe-groups-v1.ts';
import { describeGroupsV2 } from './describe-groups-v2.ts';
import { describeGroupsV3 } from './describe-groups-v3.ts';
import { describeGroupsV4 } from './describe-groups-v4.ts';

export type { DescribeGroupsRequest, DescribeGroupsResponse } from './types.ts';

export const describeGroupsVersions: ReadonlyArray<ApiVersionCodec<DescribeGroupsRequest, DescribeGroupsResponse>> = [describeGroupsV0, describeGroupsV1, describeGroupsV2, describeGroupsV3, describeGroupsV4];
