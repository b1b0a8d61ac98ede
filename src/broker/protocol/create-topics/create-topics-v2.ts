/* CreateTopics Request (Version: 2) => [topics] timeout_ms validate_only
     topics => name num_partitions replication_factor [assignments] [configs]
       name => STRING
       num_partitions => INT32
       replication_factor => INT16
       assignments => partition_index [broker_ids]
         partition_index => INT32
         broker_ids => INT32
       configs => name value
         name => STRING
         value => NULLABLE_STRING
     timeout_ms => INT32
     validate_only => BOOLEAN

   CreateTopics Response (Version: 2) => throttle_time_ms [topics]
     throttle_time_ms => INT32
     topics => name error_code error_message
       name => STRING
       error_code => INT16
       error_message => NULLABLE_STRING
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, boolean, int16, int32, nullableString, string, struct } from '../schema.ts';
import type { CreateTopicsRequest, CreateTopicsResponse } from './types.ts';

export const request = struct({
  topics: array(struct({
    name: string,
    numPartitions: int32,
    replicationFactor: int16,
    assignments: array(struct({
      partitionIndex: int32,
      brokerIds: array(int32),
    })),
    configs: array(struct({
      name: string,
      value: nullableString,
    })),
  })),
  timeoutMs: int32,
  validateOnly: boolean,
});

export const response = struct({
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    errorCode: int16,
    errorMessage: nullableString,
  })),
});

export const createTopicsV2: ApiVersionCodec<CreateTopicsRequest, CreateTopicsResponse> = versionCodec(ApiKey.CreateTopics, 2, false, request, response);
