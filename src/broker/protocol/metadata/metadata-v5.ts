/* Metadata Request (Version: 5) => [topics] allow_auto_topic_creation
   Metadata Response (Version: 5) => throttle_time_ms [brokers] cluster_id controller_id [topics]
     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes] [offline_replicas]
       offline_replicas => INT32
   Version 5 adds offline_replicas to the partitions; the request is version 4's (metadata-v4.ts)
   and the rest of the response version 3's (metadata-v3.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, int32, struct } from '../schema.ts';
import { partitionV0 } from './metadata-v0.ts';
import { responseFieldsWith } from './metadata-v3.ts';
import { request } from './metadata-v4.ts';
import type { MetadataRequest, MetadataResponse } from './types.ts';

export { request };

export const response = struct(responseFieldsWith({ ...partitionV0, offlineReplicas: array(int32) }, {}));

export const metadataV5: ApiVersionCodec<MetadataRequest, MetadataResponse> = versionCodec(ApiKey.Metadata, 5, false, request, response);
