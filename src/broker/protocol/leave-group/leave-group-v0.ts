/* LeaveGroup Request (Version: 0) => group_id member_id
     group_id => STRING
     member_id => STRING

   LeaveGroup Response (Version: 0) => error_code
     error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, string, struct } from '../schema.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from './types.ts';

export const request = struct({
  groupId: string,
  memberId: string,
}, { members: [] });

export const response = struct({
  errorCode: int16,
});

export const leaveGroupV0: ApiVersionCodec<LeaveGroupRequest, LeaveGroupResponse> = versionCodec(ApiKey.LeaveGroup, 0, false, request, response);
