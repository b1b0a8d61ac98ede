/* DescribeConfigs Request (Version: 1) => [resources] include_synonyms
     resources => resource_type resource_name [configuration_keys]
       resource_type => INT8
       resource_name => STRING
       configuration_keys => STRING
     include_synonyms => BOOLEAN

   DescribeConfigs Response (Version: 1) => throttle_time_ms [results]
     throttle_time_ms => INT32
     results => error_code error_message resource_type resource_name [configs]
       error_code => INT16
       error_message => NULLABLE_STRING
       resource_type => INT8
       resource_name => STRING
       configs => name value read_only config_source is_sensitive [synonyms]
         name => STRING
         value => NULLABLE_STRING
         read_only => BOOLEAN
         config_source => INT8
         is_sensitive => BOOLEAN
         synonyms => name value source
           name => STRING
           value => NULLABLE_STRING
           source => INT8
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, boolean, int16, int32, int8, nullableArray, nullableString, string, struct } from '../schema.ts';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from './types.ts';

export const request = struct({
  resources: array(struct({
    resourceType: int8,
    resourceName: string,
    configurationKeys: nullableArray(string),
  })),
  includeSynonyms: boolean,
});

export const response = struct({
  throttleTimeMs: int32,
  results: array(struct({
    errorCode: int16,
    errorMessage: nullableString,
    resourceType: int8,
    resourceName: string,
    configs: array(struct({
      name: string,
      value: nullableString,
      readOnly: boolean,
      configSource: int8,
      isSensitive: boolean,
      synonyms: array(struct({
        name: string,
        value: nullableString,
        source: int8,
      })),
    })),
  })),
});

export const describeConfigsV1: ApiVersionCodec<DescribeConfigsRequest, DescribeConfigsResponse> = versionCodec(ApiKey.DescribeConfigs, 1, false, request, response);
