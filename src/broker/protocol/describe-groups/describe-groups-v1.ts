/* DescribeGroups Request (Version: 1) => [groups]
   DescribeGroups Response (Version: 1) => throttle_time_ms [groups]
     throttle_time_ms => INT32
   Version 1 adds throttle_time_ms; the rest is version 0's (describe-groups-v0.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, string, struct } from '../schema.ts';
import { groupsWith, memberClientV0, request } from './describe-groups-v0.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './types.ts';

export { request };

export const response = struct({
  throttleTimeMs: int32,
  groups: groupsWith({ memberId: string, ...memberClientV0 }, {}),
});

export const describeGroupsV1: ApiVersionCodec<DescribeGroupsRequest, DescribeGroupsResponse> = versionCodec(ApiKey.DescribeGroups, 1, false, request, response);
