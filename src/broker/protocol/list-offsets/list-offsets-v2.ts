/* ListOffsets Request (Version: 2) => replica_id isolation_level [topics]
     isolation_level => INT8
   ListOffsets Response (Version: 2) => throttle_time_ms [topics]
     throttle_time_ms => INT32
   Version 2 adds isolation_level (read_committed sees the last stable offset as the end) and
   throttle_time_ms; partitions are as in version 1 (list-offsets-v1.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, int8, struct } from '../schema.ts';
import { requestPartitionV1, responsePartitionV1, topicsWith } from './list-offsets-v1.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.ts';

export const request = struct({
  replicaId: int32,
  isolationLevel: int8,
  topics: topicsWith(requestPartitionV1, { currentLeaderEpoch: -1 }),
});

export const response = struct({
  throttleTimeMs: int32,
  topics: topicsWith(responsePartitionV1, {}),
});

export const listOffsetsV2: ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse> = versionCodec(ApiKey.ListOffsets, 2, false, request, response);
