/* Metadata Request (Version: 4) => [topics] allow_auto_topic_creation
     allow_auto_topic_creation => BOOLEAN
   Metadata Response (Version: 4) => throttle_time_ms [brokers] cluster_id controller_id [topics]
   Version 4 lets the client say whether unknown topics may be created (earlier versions always
   allow it); the response is version 3's (metadata-v3.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { boolean, nullableArray, struct } from '../schema.ts';
import { requestTopic } from './metadata-v0.ts';
import { response } from './metadata-v3.ts';
import type { MetadataRequest, MetadataResponse } from './types.ts';

export { response };

export const requestFieldsV4 = {
  topics: nullableArray(requestTopic),
  allowAutoTopicCreation: boolean,
};

export const request = struct(requestFieldsV4, { includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });

export const metadataV4: ApiVersionCodec<MetadataRequest, MetadataResponse> = versionCodec(ApiKey.Metadata, 4, false, request, response);
