/* AddPartitionsToTxn Request (Version: 1) => v3_and_below_transactional_id v3_and_below_producer_id v3_and_below_producer_epoch [v3_and_below_topics]
   AddPartitionsToTxn Response (Version: 1) => throttle_time_ms [results_by_topic_v3_and_below]
   Version 0's wire format; version 1 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { addPartitionsToTxnV0 } from './add-partitions-to-txn-v0.ts';

export { request, response } from './add-partitions-to-txn-v0.ts';
export const addPartitionsToTxnV1 = sameWireAs(addPartitionsToTxnV0, 1);
