/* LeaveGroup Request (Version: 3) => group_id [members]
     group_id => STRING
     members => member_id group_instance_id
       member_id => STRING
       group_instance_id => NULLABLE_STRING

   LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
     throttle_time_ms => INT32
     error_code => INT16
     members => member_id group_instance_id error_code
       member_id => STRING
       group_instance_id => NULLABLE_STRING
       error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, int16, nullableString, string, struct } from '../schema.ts';
import { resultV1 } from './leave-group-v1.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from './types.ts';

export const request = struct({
  groupId: string,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
  })),
}, { memberId: '' });

export const response = struct({
  ...resultV1,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
    errorCode: int16,
  })),
});

export const leaveGroupV3: ApiVersionCodec<LeaveGroupRequest, LeaveGroupResponse> = versionCodec(ApiKey.LeaveGroup, 3, false, request, response);
