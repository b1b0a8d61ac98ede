/* DescribeGroups Request (Version: 3) => [groups] include_authorized_operations
     include_authorized_operations => BOOLEAN
   DescribeGroups Response (Version: 3) => throttle_time_ms [groups]
     groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
       authorized_operations => INT32
   Version 3 lets clients ask for the operations they may perform on each group (KIP-430); the rest
   is version 2's (describe-groups-v2.ts, as version 1).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, boolean, int32, string, struct } from '../schema.ts';
import { groupsWith, memberClientV0 } from './describe-groups-v0.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './types.ts';

export const request = struct({
  groups: array(string),
  includeAuthorizedOperations: boolean,
});

export const response = struct({
  throttleTimeMs: int32,
  groups: groupsWith({ memberId: string, ...memberClientV0 }, { authorizedOperations: int32 }),
});

export const describeGroupsV3: ApiVersionCodec<DescribeGroupsRequest, DescribeGroupsResponse> = versionCodec(ApiKey.DescribeGroups, 3, false, request, response);
