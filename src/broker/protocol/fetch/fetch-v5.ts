/* Fetch Request (Version: 5) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
     partitions => partition fetch_offset log_start_offset partition_max_bytes
       log_start_offset => INT64
   Fetch Response (Version: 5) => throttle_time_ms [responses]
     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records
       log_start_offset => INT64
   Version 5 adds log_start_offset to the partitions both ways (a follower's, then the leader's);
   everything else is version 4's (fetch-v4.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int16, int32, int64, records, struct } from '../schema.ts';
import { abortedTransactions, fetchResponses, fetchTopics, requestHeadV4 } from './fetch-v4.ts';
import type { FetchRequest, FetchResponse } from './types.ts';

export const requestPartitionV5 = {
  partition: int32,
  fetchOffset: int64,
  logStartOffset: int64,
  partitionMaxBytes: int32,
};

export const responsePartitionV5 = {
  partitionIndex: int32,
  errorCode: int16,
  highWatermark: int64,
  lastStableOffset: int64,
  logStartOffset: int64,
  abortedTransactions,
  records: records,
};

export const request = struct({
  ...requestHeadV4,
  topics: fetchTopics(requestPartitionV5, { currentLeaderEpoch: -1 }),
}, { sessionId: 0, sessionEpoch: -1, forgottenTopicsData: [], rackId: '' });

export const response = struct({
  throttleTimeMs: int32,
  responses: fetchResponses(responsePartitionV5),
});

export const fetchV5: ApiVersionCodec<FetchRequest, FetchResponse> = versionCodec(ApiKey.Fetch, 5, false, request, response);
