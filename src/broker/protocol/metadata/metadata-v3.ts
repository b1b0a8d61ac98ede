/* Metadata Request (Version: 3) => [topics]
   Metadata Response (Version: 3) => throttle_time_ms [brokers] cluster_id controller_id [topics]
     throttle_time_ms => INT32
   Version 3 adds throttle_time_ms; the rest is version 2's (metadata-v2.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { type Fields, int32, nullableString } from '../schema.ts';
import { struct } from '../schema.ts';
import { partitionV0 } from './metadata-v0.ts';
import { brokersV1, request, topicsWith } from './metadata-v1.ts';
import type { MetadataRequest, MetadataResponse } from './types.ts';

export { request };

/** The response fields from version 3 to 8, around that version's partition fields and topic additions. */
export function responseFieldsWith<P extends Fields, X extends Fields>(partition: P, topicAppended: X) {
  return {
    throttleTimeMs: int32,
    brokers: brokersV1,
    clusterId: nullableString,
    controllerId: int32,
    topics: topicsWith(partition, topicAppended),
  };
}

export const response = struct(responseFieldsWith(partitionV0, {}));

export const metadataV3: ApiVersionCodec<MetadataRequest, MetadataResponse> = versionCodec(ApiKey.Metadata, 3, false, request, response);
