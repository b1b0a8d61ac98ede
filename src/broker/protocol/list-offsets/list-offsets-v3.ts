/* ListOffsets Request (Version: 3) => replica_id isolation_level [topics]
   ListOffsets Response (Version: 3) => throttle_time_ms [topics]
   Version 2's wire format; version 3 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { listOffsetsV2 } from './list-offsets-v2.ts';

export { request, response } from './list-offsets-v2.ts';
export const listOffsetsV3 = sameWireAs(listOffsetsV2, 3);
