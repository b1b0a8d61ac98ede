/* Metadata Request (Version: 1) => [topics]
     topics => name (a null array asks for every topic)
   Metadata Response (Version: 1) => [brokers] controller_id [topics]
     brokers => node_id host port rack
       rack => NULLABLE_STRING
     controller_id => INT32
     topics => error_code name is_internal [partitions]
       is_internal => BOOLEAN
   Version 1 makes topics nullable and adds the broker rack, the controller id and is_internal;
   partitions are as in version 0 (metadata-v0.ts).
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, boolean, type Fields, int16, int32, nullableArray, nullableString, string, struct } from '../schema.ts';
import { brokerV0, partitionV0, requestTopic } from './metadata-v0.ts';
import type { MetadataRequest, MetadataResponse } from './types.ts';

export const brokersV1 = array(struct({
  ...brokerV0,
  rack: nullableString,
}));

/** topics => error_code name is_internal [partitions], then whatever a later version appends. */
export function topicsWith<P extends Fields, X extends Fields>(partition: P, appended: X) {
  return array(struct({
    errorCode: int16,
    name: string,
    isInternal: boolean,
    partitions: array(struct(partition)),
    ...appended,
  }));
}

export const request = struct({
  topics: nullableArray(requestTopic),
}, { allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });

export const response = struct({
  brokers: brokersV1,
  controllerId: int32,
  topics: topicsWith(partitionV0, {}),
});

export const metadataV1: ApiVersionCodec<MetadataRequest, MetadataResponse> = versionCodec(ApiKey.Metadata, 1, false, request, response);
