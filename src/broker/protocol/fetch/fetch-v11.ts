/* Fetch Request (Version: 11) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id
     rack_id => STRING
   Fetch Response (Version: 11) => throttle_time_ms error_code session_id [responses]
     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records
       preferred_read_replica => INT32
   Version 11 lets a consumer name its rack and be sent to a nearer replica (KIP-392); this broker
   always answers preferred_read_replica -1. The rest is version 9's (fetch-v9.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, string, struct } from '../schema.ts';
import { fetchResponses } from './fetch-v4.ts';
import { responsePartitionV5 } from './fetch-v5.ts';
import { responseHeadV7, sessionRequestFields } from './fetch-v7.ts';
import { requestPartitionV9 } from './fetch-v9.ts';
import type { FetchRequest, FetchResponse } from './types.ts';

export const request = struct({
  ...sessionRequestFields(requestPartitionV9, {}),
  rackId: string,
});

// preferred_read_replica goes just before records.
const { records, ...beforeRecords } = responsePartitionV5;

export const response = struct({
  ...responseHeadV7,
  responses: fetchResponses({ ...beforeRecords, preferredReadReplica: int32, records }),
});

export const fetchV11: ApiVersionCodec<FetchRequest, FetchResponse> = versionCodec(ApiKey.Fetch, 11, false, request, response);
