/* Metadata Request (Version: 7) => [topics] allow_auto_topic_creation
   Metadata Response (Version: 7) => throttle_time_ms [brokers] cluster_id controller_id [topics]
     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas]
       leader_epoch => INT32
   Version 7 adds the partition leader's epoch (KIP-320); the rest is version 5's (metadata-v5.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, int16, int32, struct } from '../schema.ts';
import { responseFieldsWith } from './metadata-v3.ts';
import { request } from './metadata-v4.ts';
import type { MetadataRequest, MetadataResponse } from './types.ts';

export { request };

export const partitionV7 = {
  errorCode: int16,
  partitionIndex: int32,
  leaderId: int32,
  leaderEpoch: int32,
  replicaNodes: array(int32),
  isrNodes: array(int32),
  offlineReplicas: array(int32),
};

export const response = struct(responseFieldsWith(partitionV7, {}));

export const metadataV7: ApiVersionCodec<MetadataRequest, MetadataResponse> = versionCodec(ApiKey.Metadata, 7, false, request, response);
