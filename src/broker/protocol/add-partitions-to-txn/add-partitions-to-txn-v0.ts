/* AddPartitionsToTxn Request (Version: 0) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics]
     v3_and_below_transactional_id => STRING
     v3_and_below_producer_id => INT64
     v3_and_below_producer_epoch => INT16
     v3_and_below_topics => name [partitions]
       name => STRING
       partitions => INT32

   AddPartitionsToTxn Response (Version: 0) => throttle_time_ms [results_by_topic_v3_and_below]
     throttle_time_ms => INT32
     results_by_topic_v3_and_below => name [results_by_partition]
       name => STRING
       results_by_partition => partition_index partition_error_code
         partition_index => INT32
         partition_error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, int16, int32, int64, string, struct } from '../schema.ts';
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from './types.ts';

export const request = struct({
  transactionalId: string,
  producerId: int64,
  producerEpoch: int16,
  topics: array(struct({
    name: string,
    partitions: array(int32),
  })),
});

export const response = struct({
  throttleTimeMs: int32,
  resultsByTopic: array(struct({
    name: string,
    resultsByPartition: array(struct({
      partitionIndex: int32,
      partitionErrorCode: int16,
    })),
  })),
});

export const addPartitionsToTxnV0: ApiVersionCodec<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = versionCodec(ApiKey.AddPartitionsToTxn, 0, false, request, response);
