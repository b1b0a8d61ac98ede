/* Metadata Request (Version: 2) => [topics]
   Metadata Response (Version: 2) => [brokers] cluster_id controller_id [topics]
     cluster_id => NULLABLE_STRING
   Version 2 adds cluster_id; the rest is version 1's (metadata-v1.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { int32, nullableString, struct } from '../schema.ts';
import { partitionV0 } from './metadata-v0.ts';
import { brokersV1, request, topicsWith } from './metadata-v1.ts';
import type { MetadataRequest, MetadataResponse } from './types.ts';

export { request };

export const response = struct({
  brokers: brokersV1,
  clusterId: nullableString,
  controllerId: int32,
  topics: topicsWith(partitionV0, {}),
});

export const metadataV2: ApiVersionCodec<MetadataRequest, MetadataResponse> = versionCodec(ApiKey.Metadata, 2, false, request, response);
