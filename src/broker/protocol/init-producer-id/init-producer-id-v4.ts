/* InitProducerId Request (Version: 4) => transactional_id transaction_timeout_ms producer_id producer_epoch _tagged_fields
   InitProducerId Response (Version: 4) => throttle_time_ms error_code producer_id producer_epoch _tagged_fields
   Version 3's wire format; version 4 lets the coordinator answer PRODUCER_FENCED (KIP-588); older versions are told INVALID_PRODUCER_EPOCH (txn/fenced-error.ts). */
import { sameWireAs } from '../api.ts';
import { initProducerIdV3 } from './init-producer-id-v3.ts';

export { request, response } from './init-producer-id-v3.ts';
export const initProducerIdV4 = sameWireAs(initProducerIdV3, 4);
