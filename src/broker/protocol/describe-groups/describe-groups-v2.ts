/* DescribeGroups Request (Version: 2) => [groups]
   DescribeGroups Response (Version: 2) => throttle_time_ms [groups]
   Version 1's wire format; version 2 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { describeGroupsV1 } from './describe-groups-v1.ts';

export { request, response } from './describe-groups-v1.ts';
export const describeGroupsV2 = sameWireAs(describeGroupsV1, 2);
