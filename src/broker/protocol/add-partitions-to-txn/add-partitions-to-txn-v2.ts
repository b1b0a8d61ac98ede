/* AddPartitionsToTxn Request (Version: 2) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics]
   AddPartitionsToTxn Response (Version: 2) => throttle_time_ms [results_by_topic_v3_and_below]
   Version 0's wire format; version 2 lets the coordinator answer PRODUCER_FENCED (KIP-588); older versions are told INVALID_PRODUCER_EPOCH (txn/fenced-error.ts). */
import { sameWireAs } from '../api.ts';
import { addPartitionsToTxnV0 } from './add-partitions-to-txn-v0.ts';

export { request, response } from './add-partitions-to-txn-v0.ts';
export const addPartitionsToTxnV2 = sameWireAs(addPartitionsToTxnV0, 2);
