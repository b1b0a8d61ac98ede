/* ListOffsets Request (Version: 5) => replica_id isolation_level [topics]
   ListOffsets Response (Version: 5) => throttle_time_ms [topics]
   Version 4's wire format; version 5 adds the OFFSET_NOT_AVAILABLE error. */
import { sameWireAs } from '../api.ts';
import { listOffsetsV4 } from './list-offsets-v4.ts';

export { request, response } from './list-offsets-v4.ts';
export const listOffsetsV5 = sameWireAs(listOffsetsV4, 5);
