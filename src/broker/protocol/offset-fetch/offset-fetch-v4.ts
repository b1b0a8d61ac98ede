/* OffsetFetch Request (Version: 4) => group_id [topics]
   OffsetFetch Response (Version: 4) => throttle_time_ms [topics] error_code
   Version 3's wire format; version 4 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { offsetFetchV3 } from './offset-fetch-v3.ts';

export { request, response } from './offset-fetch-v3.ts';
export const offsetFetchV4 = sameWireAs(offsetFetchV3, 4);
