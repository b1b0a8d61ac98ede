/* DeleteTopics Request (Version: 3) => [topic_names] timeout_ms
   DeleteTopics Response (Version: 3) => throttle_time_ms [responses]
   Version 1's wire format; version 3 adds the TOPIC_DELETION_DISABLED error. */
import { sameWireAs } from '../api.ts';
import { deleteTopicsV1 } from './delete-topics-v1.ts';

export { request, response } from './delete-topics-v1.ts';
export const deleteTopicsV3 = sameWireAs(deleteTopicsV1, 3);
