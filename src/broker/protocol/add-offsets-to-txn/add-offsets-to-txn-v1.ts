/* AddOffsetsToTxn Request (Version: 1) => transactional_id producer_id producer_epoch group_id
   AddOffsetsToTxn Response (Version: 1) => throttle_time_ms error_code
   Version 0's wire format; version 1 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { addOffsetsToTxnV0 } from './add-offsets-to-txn-v0.ts';

export { request, response } from './add-offsets-to-txn-v0.ts';
export const addOffsetsToTxnV1 = sameWireAs(addOffsetsToTxnV0, 1);
