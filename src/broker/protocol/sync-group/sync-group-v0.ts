/* SyncGroup Request (Version: 0) => group_id generation_id member_id [assignments]
     group_id => STRING
     generation_id => INT32
     member_id => STRING
     assignments => member_id assignment
       member_id => STRING
       assignment => BYTES

   SyncGroup Response (Version: 0) => error_code assignment
     error_code => INT16
     assignment => BYTES
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, bytes, int16, int32, string, struct } from '../schema.ts';
import type { SyncGroupRequest, SyncGroupResponse } from './types.ts';

export const memberV0 = {
  groupId: string,
  generationId: int32,
  memberId: string,
};

export const assignments = array(struct({
  memberId: string,
  assignment: bytes,
}));

export const assignmentV0 = {
  errorCode: int16,
  assignment: bytes,
};

export const request = struct({
  ...memberV0,
  assignments,
}, { groupInstanceId: null });

export const response = struct(assignmentV0);

export const syncGroupV0: ApiVersionCodec<SyncGroupRequest, SyncGroupResponse> = versionCodec(ApiKey.SyncGroup, 0, false, request, response);
