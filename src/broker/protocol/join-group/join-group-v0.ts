/* JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
     group_id => STRING
     session_timeout_ms => INT32
     member_id => STRING
     protocol_type => STRING
     protocols => name metadata
       name => STRING
       metadata => BYTES

   JoinGroup Response (Version: 0) => error_code generation_id protocol_name leader member_id [members]
     error_code => INT16
     generation_id => INT32
     protocol_name => STRING
     leader => STRING
     member_id => STRING
     members => member_id metadata
       member_id => STRING
       metadata => BYTES
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, bytes, int16, int32, string, struct } from '../schema.ts';
import type { JoinGroupRequest, JoinGroupResponse } from './types.ts';

export const protocols = array(struct({
  name: string,
  metadata: bytes,
}));

/** The response fields before members, in every version up to 5 (v2 puts throttle_time_ms first). */
export const electionV0 = {
  errorCode: int16,
  generationId: int32,
  protocolName: string,
  leader: string,
  memberId: string,
};

/** members as versions 0 to 4 have them. */
export const membersV0 = array(struct({
  memberId: string,
  metadata: bytes,
}));

export const request = struct({
  groupId: string,
  sessionTimeoutMs: int32,
  memberId: string,
  protocolType: string,
  protocols,
}, { rebalanceTimeoutMs: -1, groupInstanceId: null });

export const response = struct({
  ...electionV0,
  members: membersV0,
});

export const joinGroupV0: ApiVersionCodec<JoinGroupRequest, JoinGroupResponse> = versionCodec(ApiKey.JoinGroup, 0, false, request, response);
