/* Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
     replica_id => INT32
     max_wait_ms => INT32
     min_bytes => INT32
     max_bytes => INT32
     isolation_level => INT8
     topics => topic [partitions]
       topic => STRING
       partitions => partition fetch_offset partition_max_bytes
         partition => INT32
         fetch_offset => INT64
         partition_max_bytes => INT32

   Fetch Response (Version: 4) => throttle_time_ms [responses]
     throttle_time_ms => INT32
     responses => topic [partitions]
       topic => STRING
       partitions => partition_index error_code high_watermark last_stable_offset [aborted_transactions] records
         partition_index => INT32
         error_code => INT16
         high_watermark => INT64
         last_stable_offset => INT64
         aborted_transactions => producer_id first_offset
           producer_id => INT64
           first_offset => INT64
         records => RECORDS
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, type Fields, int16, int32, int64, int8, nullableArray, records, string, struct } from '../schema.ts';
import type { FetchRequest, FetchResponse } from './types.ts';

/** The request fields before topics; every version up to 11 starts with these. */
export const requestHeadV4 = {
  replicaId: int32,
  maxWaitMs: int32,
  minBytes: int32,
  maxBytes: int32,
  isolationLevel: int8,
};

/** topics => topic [partitions], around a version's partition fields and the defaults for the ones it lacks. */
export function fetchTopics<F extends Fields, D extends object>(partition: F, partitionDefaults: D) {
  return array(struct({
    topic: string,
    partitions: array(struct(partition, partitionDefaults)),
  }));
}

/** responses => topic [partitions], around a version's partition fields. */
export function fetchResponses<F extends Fields>(partition: F) {
  return array(struct({
    topic: string,
    partitions: array(struct(partition)),
  }));
}

export const abortedTransactions = nullableArray(struct({
  producerId: int64,
  firstOffset: int64,
}));

export const request = struct({
  ...requestHeadV4,
  topics: fetchTopics({
    partition: int32,
    fetchOffset: int64,
    partitionMaxBytes: int32,
  }, { currentLeaderEpoch: -1, logStartOffset: -1n }),
}, { sessionId: 0, sessionEpoch: -1, forgottenTopicsData: [], rackId: '' });

export const response = struct({
  throttleTimeMs: int32,
  responses: fetchResponses({
    partitionIndex: int32,
    errorCode: int16,
    highWatermark: int64,
    lastStableOffset: int64,
    abortedTransactions,
    records: records,
  }),
});

export const fetchV4: ApiVersionCodec<FetchRequest, FetchResponse> = versionCodec(ApiKey.Fetch, 4, false, request, response);
