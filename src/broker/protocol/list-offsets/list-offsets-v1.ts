/* ListOffsets Request (Version: 1) => replica_id [topics]
     replica_id => INT32
     topics => name [partitions]
       name => STRING
       partitions => partition_index timestamp
         partition_index => INT32
         timestamp => INT64

   ListOffsets Response (Version: 1) => [topics]
     topics => name [partitions]
       name => STRING
       partitions => partition_index error_code timestamp offset
         partition_index => INT32
         error_code => INT16
         timestamp => INT64
         offset => INT64
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, type Fields, int16, int32, int64, string, struct } from '../schema.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.ts';

/** topics => name [partitions], around a version's partition fields and the defaults for the ones it lacks. */
export function topicsWith<F extends Fields, D extends object>(partition: F, partitionDefaults: D) {
  return array(struct({
    name: string,
    partitions: array(struct(partition, partitionDefaults)),
  }));
}

export const requestPartitionV1 = {
  partitionIndex: int32,
  timestamp: int64,
};

export const responsePartitionV1 = {
  partitionIndex: int32,
  errorCode: int16,
  timestamp: int64,
  offset: int64,
};

export const request = struct({
  replicaId: int32,
  topics: topicsWith(requestPartitionV1, { currentLeaderEpoch: -1 }),
}, { isolationLevel: 0 });

export const response = struct({
  topics: topicsWith(responsePartitionV1, {}),
});

export const listOffsetsV1: ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse> = versionCodec(ApiKey.ListOffsets, 1, false, request, response);
