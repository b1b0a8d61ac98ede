/* Fetch Request (Version: 9) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
     partitions => partition current_leader_epoch fetch_offset log_start_offset partition_max_bytes
       current_leader_epoch => INT32
   Fetch Response (Version: 9) => throttle_time_ms error_code session_id [responses]
   Version 9 adds current_leader_epoch to the requested partitions (KIP-320); the response and the
   other request fields are version 7's (fetch-v7.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, int64, struct } from '../schema.ts';
import { response, sessionRequestFields } from './fetch-v7.ts';
import type { FetchRequest, FetchResponse } from './types.ts';

export { response };

export const requestPartitionV9 = {
  partition: int32,
  currentLeaderEpoch: int32,
  fetchOffset: int64,
  logStartOffset: int64,
  partitionMaxBytes: int32,
};

export const request = struct(sessionRequestFields(requestPartitionV9, {}), { rackId: '' });

export const fetchV9: ApiVersionCodec<FetchRequest, FetchResponse> = versionCodec(ApiKey.Fetch, 9, false, request, response);
