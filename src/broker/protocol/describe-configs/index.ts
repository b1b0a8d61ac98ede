/** DescribeConfigs (key 32): the versions this broker implements, lowest first. */
import type { ApiVersionCodec } from '../api.ts';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from './types.ts';
import { describeConfigsV1 } from './describe-configs-v1.ts';
import { describeConfigsV2 } from './describe-configs-v2.ts';

export type { DescribeConfigsRequest, DescribeConfigsResponse } from './types.ts';

export const describeConfigsVersions: ReadonlyArray<ApiVersionCodec<DescribeConfigsRequest, DescribeConfigsResponse>> = [describeConfigsV1, describeConfigsV2];
