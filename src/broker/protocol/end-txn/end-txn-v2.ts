/* EndTxn Request (Version: 2) => transactional_id producer_id producer_epoch committed
   EndTxn Response (Version: 2) => throttle_time_ms error_code
   Version 0's wire format; version 2 lets the coordinator answer PRODUCER_FENCED (KIP-588); older versions are told INVALID_PRODUCER_EPOCH (txn/fenced-error.ts). */
import { sameWireAs } from '../api.ts';
import { endTxnV0 } from './end-txn-v0.ts';

export { request, response } from './end-txn-v0.ts';
export const endTxnV2 = sameWireAs(endTxnV0, 2);
