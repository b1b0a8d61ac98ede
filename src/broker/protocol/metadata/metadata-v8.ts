/* Metadata Request (Version: 8) => [topics] allow_auto_topic_creation include_cluster_authorized_operations include_topic_authorized_operations
     include_cluster_authorized_operations => BOOLEAN
     include_topic_authorized_operations => BOOLEAN
   Metadata Response (Version: 8) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations
     topics => error_code name is_internal [partitions] topic_authorized_operations
       topic_authorized_operations => INT32
     cluster_authorized_operations => INT32
   Version 8 lets clients ask for authorized operations (KIP-430); the rest is version 7's
   (metadata-v7.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { boolean, int32, struct } from '../schema.ts';
import { responseFieldsWith } from './metadata-v3.ts';
import { requestFieldsV4 } from './metadata-v4.ts';
import { partitionV7 } from './metadata-v7.ts';
import type { MetadataRequest, MetadataResponse } from './types.ts';

export const request = struct({
  ...requestFieldsV4,
  includeClusterAuthorizedOperations: boolean,
  includeTopicAuthorizedOperations: boolean,
});

export const response = struct({
  ...responseFieldsWith(partitionV7, { topicAuthorizedOperations: int32 }),
  clusterAuthorizedOperations: int32,
});

export const metadataV8: ApiVersionCodec<MetadataRequest, MetadataResponse> = versionCodec(ApiKey.Metadata, 8, false, request, response);
