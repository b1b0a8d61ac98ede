/* ApiVersions Request (Version: 2) => 
   ApiVersions Response (Version: 2) => error_code [api_keys] throttle_time_ms
   Version 1's wire format; version 2 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { apiVersionsV1 } from './api-versions-v1.ts';

export { request, response } from './api-versions-v1.ts';
export const apiVersionsV2 = sameWireAs(apiVersionsV1, 2);
