/* DeleteTopics Request (Version: 1) => [topic_names] timeout_ms
     topic_names => STRING
     timeout_ms => INT32

   DeleteTopics Response (Version: 1) => throttle_time_ms [responses]
     throttle_time_ms => INT32
     responses => name error_code
       name => STRING
       error_code => INT16
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, int16, int32, string, struct } from '../schema.ts';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './types.ts';

export const request = struct({
  topicNames: array(string),
  timeoutMs: int32,
});

export const response = struct({
  throttleTimeMs: int32,
  responses: array(struct({
    name: string,
    errorCode: int16,
  })),
});

export const deleteTopicsV1: ApiVersionCodec<DeleteTopicsRequest, DeleteTopicsResponse> = versionCodec(ApiKey.DeleteTopics, 1, false, request, response);
