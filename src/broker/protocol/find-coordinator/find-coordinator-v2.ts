/* FindCoordinator Request (Version: 2) => key key_type
   FindCoordinator Response (Version: 2) => throttle_time_ms error_code error_message node_id host port
   Version 1's wire format; version 2 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { findCoordinatorV1 } from './find-coordinator-v1.ts';

export { request, response } from './find-coordinator-v1.ts';
export const findCoordinatorV2 = sameWireAs(findCoordinatorV1, 2);
