/* ListGroups Request (Version: 0) => 

   ListGroups Response (Version: 0) => error_code [groups]
     error_code => INT16
     groups => group_id protocol_type
       group_id => STRING
       protocol_type => STRING
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, int16, string, struct } from '../schema.ts';
import type { ListGroupsRequest, ListGroupsResponse } from './types.ts';

export const request = struct({});

export const listedV0 = {
  errorCode: int16,
  groups: array(struct({
    groupId: string,
    protocolType: string,
  })),
};

export const response = struct(listedV0);

export const listGroupsV0: ApiVersionCodec<ListGroupsRequest, ListGroupsResponse> = versionCodec(ApiKey.ListGroups, 0, false, request, response);
