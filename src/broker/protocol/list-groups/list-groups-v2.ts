/* ListGroups Request (Version: 2) => 
   ListGroups Response (Version: 2) => throttle_time_ms error_code [groups]
   Version 1's wire format; version 2 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { listGroupsV1 } from './list-groups-v1.ts';

export { request, response } from './list-groups-v1.ts';
export const listGroupsV2 = sameWireAs(listGroupsV1, 2);
