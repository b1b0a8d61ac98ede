import { errorMessage, type SinkRecord } from '../../src/sdk/index.ts';
import type { InputFormat, NulInText } from './config.ts';
import { canalOps, isCanalMessage } from './input-canal.ts';
import { debeziumOps, isDebeziumEnvelope } from './input-debezium.ts';
import { plainOps } from './input-plain.ts';
import { RecordRefused, type RowOp } from './row-op.ts';

export interface MappingOptions {
  format: InputFormat;
  primaryKey: string[];
  deletes: boolean;
  tombstones: 'ignore' | 'delete';
  /** String values with U+0000 (PostgreSQL text cannot hold it): refuse the record, or drop the character. */
  nulInText: NulInText;
  /** Target table of a topic's records (throws CONFIG_INVALID for a template that yields no valid name). */
  tableFor(topic: string): string;
}

export interface Refusal {
  /** Index of the record in the batch. */
  index: number;
  reason: string;
}

/**
 * Turns a batch of records into row operations, in record order. Records that cannot be written
 * whatever the database holds (wrong shape, a field name that cannot be a column) are returned as
 * refusals instead, so the caller can reject them without touching the database.
 */
export function mapRecords(records: readonly SinkRecord[], options: MappingOptions): { ops: RowOp[]; refusals: Refusal[] } {
  const ops: RowOp[] = [];
  const refusals: Refusal[] = [];
  records.forEach((record, index) => {
    try {
      const recordRows = recordOps(record, index, options);
      for (const op of recordRows) checkNul(op, options.nulInText);
      ops.push(...recordRows);
    } catch (err) {
      if (!(err instanceof RecordRefused)) throw err;
      refusals.push({ index, reason: errorMessage(err) });
    }
  });
  return { ops, refusals };
}

/**
 * PostgreSQL text (and json, jsonb, varchar) cannot hold U+0000, which MySQL text can; the server
 * would refuse the whole batch. Such a string is refused here with a clear reason, or, with
 * `nulInText: strip`, written without its NUL characters. Bytes are unaffected (bytea holds 0x00).
 */
function checkNul(op: RowOp, policy: NulInText): void {
  for (const [name, cell] of op.row) {
    if (typeof cell.value !== 'string' || !cell.value.includes('\u0000')) continue;
    if (policy === 'strip') cell.value = cell.value.replaceAll('\u0000', '');
    else throw new RecordRefused(`column ${JSON.stringify(name)}: the text holds a NUL character (U+0000), which PostgreSQL cannot store; set nulInText: strip to write it without`);
  }
}

export function recordOps(record: SinkRecord, index: number, options: MappingOptions): RowOp[] {
  switch (options.format) {
    case 'plain':
      return plainOps(record, index, options);
    case 'debezium':
      return debeziumOps(record, index, options);
    case 'canal':
      return canalOps(record, index, options);
    case 'auto':
      if (isDebeziumEnvelope(record.value)) return debeziumOps(record, index, options);
      if (isCanalMessage(record.value)) return canalOps(record, index, options);
      return plainOps(record, index, options);
  }
}
