/**
 * The source position stored with every record (`sourceOffset`), JSON-serializable:
 *
 * - `file`, `pos`: where to start reading: the first event of a transaction (its GTID or BEGIN event);
 * - `gtid`: the GTID position just before that transaction (MariaDB `domain-server-seq` list or MySQL
 *   GTID set), preferred over file/pos on resume when present and `useGtid` is on;
 * - `row`: rows of that transaction already delivered, skipped on resume, so a transaction split
 *   across polls (`maxTransactionRows`) resumes mid-way without losing or repeating a row;
 * - `snapshot`: `running` while an initial snapshot is being read (a restart then redoes it), absent
 *   once streaming;
 * - `schemas`: the DDL-aware schema history, only when the server does not log column names
 *   (binlog_row_metadata != FULL); see schema/schema-history.ts.
 *
 * Invariant: the offset of the last record of a transaction points just after that transaction
 * (`row: 0`), so a restart after a fully delivered transaction never reads it again.
 */
export interface BinlogOffset {
  file: string;
  pos: number;
  gtid?: string;
  row: number;
  snapshot?: 'running';
  schemas?: unknown;
}

export function offsetToRecord(o: BinlogOffset): Record<string, unknown> {
  const out: Record<string, unknown> = { file: o.file, pos: o.pos, row: o.row };
  if (o.gtid !== undefined && o.gtid !== '') out.gtid = o.gtid;
  if (o.snapshot !== undefined) out.snapshot = o.snapshot;
  if (o.schemas !== undefined) out.schemas = o.schemas;
  return out;
}

/** Validates a committed offset; returns a reason string when it is not one this connector wrote. */
export function offsetFromRecord(r: Record<string, unknown>): BinlogOffset | string {
  const { file, pos, gtid, row, snapshot, schemas } = r;
  if (typeof file !== 'string' || file === '') return 'it has no binlog file name';
  if (typeof pos !== 'number' || !Number.isSafeInteger(pos) || pos < 4) return `its position ${String(pos)} is not an integer >= 4`;
  if (row !== undefined && (typeof row !== 'number' || !Number.isSafeInteger(row) || row < 0)) return `its row count ${String(row)} is not an integer >= 0`;
  if (gtid !== undefined && typeof gtid !== 'string') return 'its gtid is not a string';
  if (snapshot !== undefined && snapshot !== 'running') return `its snapshot state ${String(snapshot)} is unknown`;
  return {
    file,
    pos,
    row: typeof row === 'number' ? row : 0,
    ...(typeof gtid === 'string' && gtid !== '' ? { gtid } : {}),
    ...(snapshot === 'running' ? { snapshot } : {}),
    ...(schemas !== undefined ? { schemas } : {}),
  };
}
