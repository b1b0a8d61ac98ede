/* Fetch Request (Version: 7) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
     session_id => INT32
     session_epoch => INT32
     forgotten_topics_data => topic [partitions]
       topic => STRING
       partitions => INT32
   Fetch Response (Version: 7) => throttle_time_ms error_code session_id [responses]
     error_code => INT16
     session_id => INT32
   Version 7 adds incremental fetch sessions (KIP-227); partitions are as in version 5 (fetch-v5.ts).
   This broker keeps no sessions: it answers session_id 0, so clients keep sending full requests.
*/
import { type ApiVersionCodec, ApiKey, versionCodec } from '../api.ts';
import { array, type Fields, int16, int32, string, struct } from '../schema.ts';
import { fetchResponses, fetchTopics, requestHeadV4 } from './fetch-v4.ts';
import { requestPartitionV5, responsePartitionV5 } from './fetch-v5.ts';
import type { FetchRequest, FetchResponse } from './types.ts';

/** The request fields from version 7 to 11, around that version's partition fields (v11 appends rack_id). */
export function sessionRequestFields<F extends Fields, D extends object>(partition: F, partitionDefaults: D) {
  return {
    ...requestHeadV4,
    sessionId: int32,
    sessionEpoch: int32,
    topics: fetchTopics(partition, partitionDefaults),
    forgottenTopicsData: array(struct({
      topic: string,
      partitions: array(int32),
    })),
  };
}

export const responseHeadV7 = {
  throttleTimeMs: int32,
  errorCode: int16,
  sessionId: int32,
};

export const request = struct(sessionRequestFields(requestPartitionV5, { currentLeaderEpoch: -1 }), { rackId: '' });

export const response = struct({
  ...responseHeadV7,
  responses: fetchResponses(responsePartitionV5),
});

export const fetchV7: ApiVersionCodec<FetchRequest, FetchResponse> = versionCodec(ApiKey.Fetch, 7, false, request, response);
