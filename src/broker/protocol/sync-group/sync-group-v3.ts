/* SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
     group_instance_id => NULLABLE_STRING
   SyncGroup Response (Version: 3) => throttle_time_ms error_code assignment
   Version 3 adds group_instance_id for static members (KIP-345); the rest is version 1's
   (sync-group-v1.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { nullableString, struct } from '../schema.ts';
import { assignments, memberV0 } from './sync-group-v0.ts';
import { response } from './sync-group-v1.ts';
import type { SyncGroupRequest, SyncGroupResponse } from './types.ts';

export { response };

export const request = struct({
  ...memberV0,
  groupInstanceId: nullableString,
  assignments,
});

export const syncGroupV3: ApiVersionCodec<SyncGroupRequest, SyncGroupResponse> = versionCodec(ApiKey.SyncGroup, 3, false, request, response);
