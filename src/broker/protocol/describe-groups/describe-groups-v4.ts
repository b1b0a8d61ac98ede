/* DescribeGroups Request (Version: 4) => [groups] include_authorized_operations
   DescribeGroups Response (Version: 4) => throttle_time_ms [groups]
     members => member_id group_instance_id client_id client_host member_metadata member_assignment
       group_instance_id => NULLABLE_STRING
   Version 4 names each static member's group_instance_id (KIP-345); the rest is version 3's
   (describe-groups-v3.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, nullableString, string, struct } from '../schema.ts';
import { groupsWith, memberClientV0 } from './describe-groups-v0.ts';
import { request } from './describe-groups-v3.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './types.ts';

export { request };

export const response = struct({
  throttleTimeMs: int32,
  groups: groupsWith({ memberId: string, groupInstanceId: nullableString, ...memberClientV0 }, { authorizedOperations: int32 }),
});

export const describeGroupsV4: ApiVersionCodec<DescribeGroupsRequest, DescribeGroupsResponse> = versionCodec(ApiKey.DescribeGroups, 4, false, request, response);
