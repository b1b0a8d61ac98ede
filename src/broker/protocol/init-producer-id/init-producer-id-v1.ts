/* InitProducerId Request (Version: 1) => transactional_id transaction_timeout_ms
   InitProducerId Response (Version: 1) => throttle_time_ms error_code producer_id producer_epoch
   Version 0's wire format; version 1 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { initProducerIdV0 } from './init-producer-id-v0.ts';

export { request, response } from './init-producer-id-v0.ts';
export const initProducerIdV1 = sameWireAs(initProducerIdV0, 1);
