import type { RecordHeader, SourceRecord } from '../../../src/sdk/index.ts';
import { offsetToRecord } from '../position/binlog-offset.ts';
import type { Change } from '../stream/change.ts';

/** Turns one change into the records it produces (a Debezium delete also yields a tombstone). */
export interface ChangeFormatter {
  format(change: Change, now: number): SourceRecord[];
}

/** Header names: transaction boundaries, so consumers can regroup a source transaction. */
export const HEADER_TXN_ID = 'tributary.txn.id';
export const HEADER_TXN_ROW = 'tributary.txn.row';
export const HEADER_TXN_LAST = 'tributary.txn.last';
export const HEADER_SOURCE = 'tributary.source';

export function changeHeaders(change: Change): RecordHeader[] {
  return [
    { key: HEADER_TXN_ID, value: change.txn.id },
    { key: HEADER_TXN_ROW, value: String(change.indexInTxn) },
    { key: HEADER_TXN_LAST, value: change.lastInTxn ? 'true' : 'false' },
    { key: HEADER_SOURCE, value: change.kind === 'row' && change.snapshot !== undefined ? 'snapshot' : 'binlog' },
  ];
}

/** The fields every record of a change shares: position and timestamp. */
export function recordBase(change: Change, sourcePartition: Record<string, unknown>): Pick<SourceRecord, 'sourcePartition' | 'sourceOffset' | 'timestamp' | 'headers'> {
  return {
    sourcePartition,
    sourceOffset: offsetToRecord(change.offset),
    timestamp: change.timestamp * 1000,
    headers: changeHeaders(change),
  };
}
