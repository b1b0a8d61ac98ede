/* JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols]
     group_instance_id => NULLABLE_STRING
   JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
     members => member_id group_instance_id metadata
       group_instance_id => NULLABLE_STRING
   Version 5 adds group_instance_id for static members (KIP-345), in the request and for each
   member the leader is told about; the rest is version 4's (join-group-v4.ts, as version 2).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, bytes, int32, nullableString, string, struct } from '../schema.ts';
import { electionV0, protocols } from './join-group-v0.ts';
import { memberTimeoutsV1 } from './join-group-v1.ts';
import type { JoinGroupRequest, JoinGroupResponse } from './types.ts';

export const request = struct({
  ...memberTimeoutsV1,
  groupInstanceId: nullableString,
  protocolType: string,
  protocols,
});

export const response = struct({
  throttleTimeMs: int32,
  ...electionV0,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
    metadata: bytes,
  })),
});

export const joinGroupV5: ApiVersionCodec<JoinGroupRequest, JoinGroupResponse> = versionCodec(ApiKey.JoinGroup, 5, false, request, response);
