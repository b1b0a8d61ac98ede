/* DescribeConfigs Request (Version: 2) => [resources] include_synonyms
   DescribeConfigs Response (Version: 2) => throttle_time_ms [results]
   Version 1's wire format; version 2 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { describeConfigsV1 } from './describe-configs-v1.ts';

export { request, response } from './describe-configs-v1.ts';
export const describeConfigsV2 = sameWireAs(describeConfigsV1, 2);
