/* ListGroups Request (Version: 1) =>
   ListGroups Response (Version: 1) => throttle_time_ms error_code [groups]
     throttle_time_ms => INT32
   Version 1 adds throttle_time_ms; the rest is version 0's (list-groups-v0.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, struct } from '../schema.ts';
import { listedV0, request } from './list-groups-v0.ts';
import type { ListGroupsRequest, ListGroupsResponse } from './types.ts';

export { request };

export const response = struct({
  throttleTimeMs: int32,
  ...listedV0,
});

export const listGroupsV1: ApiVersionCodec<ListGroupsRequest, ListGroupsResponse> = versionCodec(ApiKey.ListGroups, 1, false, request, response);
