/* AddOffsetsToTxn Request (Version: 2) => transactional_id producer_id producer_epoch group_id
   AddOffsetsToTxn Response (Version: 2) => throttle_time_ms error_code
   Version 0's wire format; version 2 lets the coordinator answer PRODUCER_FENCED (KIP-588); older versions are told INVALID_PRODUCER_EPOCH (txn/fenced-error.ts). */
import { sameWireAs } from '../api.ts';
import { addOffsetsToTxnV0 } from './add-offsets-to-txn-v0.ts';

export { request, response } from './add-offsets-to-txn-v0.ts';
export const addOffsetsToTxnV2 = sameWireAs(addOffsetsToTxnV0, 2);
