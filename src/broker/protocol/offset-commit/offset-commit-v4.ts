/* OffsetCommit Request (Version: 4) => group_id generation_id_or_member_epoch member_id retention_time_ms [topics]
   OffsetCommit Response (Version: 4) => throttle_time_ms [topics]
   Version 3's wire format; version 4 only lets a broker answer before applying a quota throttle (KIP-219); this broker never throttles. */
import { sameWireAs } from '../api.ts';
import { offsetCommitV3 } from './offset-commit-v3.ts';

export { request, response } from './offset-commit-v3.ts';
export const offsetCommitV4 = sameWireAs(offsetCommitV3, 4);
