/* ListOffsets Request (Version: 4) => replica_id isolation_level [topics]
     partitions => partition_index current_leader_epoch timestamp
       current_leader_epoch => INT32
   ListOffsets Response (Version: 4) => throttle_time_ms [topics]
     partitions => partition_index error_code timestamp offset leader_epoch
       leader_epoch => INT32
   Version 4 adds leader epochs both ways (KIP-320); the rest is version 3's (list-offsets-v3.ts,
   as version 2).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, int64, int8, struct } from '../schema.ts';
import { responsePartitionV1, topicsWith } from './list-offsets-v1.ts';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.ts';

export const request = struct({
  replicaId: int32,
  isolationLevel: int8,
  topics: topicsWith({ partitionIndex: int32, currentLeaderEpoch: int32, timestamp: int64 }, {}),
});

export const response = struct({
  throttleTimeMs: int32,
  topics: topicsWith({ ...responsePartitionV1, leaderEpoch: int32 }, {}),
});

export const listOffsetsV4: ApiVersionCodec<ListOffsetsRequest, ListOffsetsResponse> = versionCodec(ApiKey.ListOffsets, 4, false, request, response);
