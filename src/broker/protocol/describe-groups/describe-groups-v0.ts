/* DescribeGroups Request (Version: 0) => [groups]
     groups => STRING

   DescribeGroups Response (Version: 0) => [groups]
     groups => error_code group_id group_state protocol_type protocol_data [members]
       error_code => INT16
       group_id => STRING
       group_state => STRING
       protocol_type => STRING
       protocol_data => STRING
       members => member_id client_id client_host member_metadata member_assignment
         member_id => STRING
         client_id => STRING
         client_host => STRING
         member_metadata => BYTES
         member_assignment => BYTES
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, bytes, type Fields, int16, string, struct } from '../schema.ts';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './types.ts';

/** groups as far as members, around a version's member fields, then what a later version appends. */
export function groupsWith<M extends Fields, X extends Fields>(member: M, appended: X) {
  return array(struct({
    errorCode: int16,
    groupId: string,
    groupState: string,
    protocolType: string,
    protocolData: string,
    members: array(struct(member)),
    ...appended,
  }));
}

/** A member's client, with the metadata and assignment it joined with. */
export const memberClientV0 = {
  clientId: string,
  clientHost: string,
  memberMetadata: bytes,
  memberAssignment: bytes,
};

export const request = struct({
  groups: array(string),
}, { includeAuthorizedOperations: false });

export const response = struct({
  groups: groupsWith({ memberId: string, ...memberClientV0 }, {}),
});

export const describeGroupsV0: ApiVersionCodec<DescribeGroupsRequest, DescribeGroupsResponse> = versionCodec(ApiKey.DescribeGroups, 0, false, request, response);
