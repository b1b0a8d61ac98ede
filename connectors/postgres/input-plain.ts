import type { SinkRecord } from '../../src/sdk/index.ts';
import type { MappingOptions } from './record-mapper.ts';
import { RecordRefused, describeValue, fillFromKey, isPlainObject, isScalarKey, rowFromObject, type Row, type RowOp } from './row-op.ts';

/** A plain record: the value object is the row; the key (an object or a scalar) identifies it. */
export function plainOps(record: SinkRecord, index: number, options: MappingOptions): RowOp[] {
  const value = record.value;
  if (value === null || value === undefined) return tombstoneOps(record, index, options);
  if (!isPlainObject(value)) throw new RecordRefused(`a plain record's value must be an object (the row), not ${describeValue(value)}`);
  const row = rowFromObject(value, record.valueSchema?.type === 'struct' ? record.valueSchema.fields : undefined);
  fillFromKey(row, record.key, record.keySchema?.fields);
  return [withKey({ kind: 'upsert', table: options.tableFor(record.topic), row, pk: keyColumns(record, options), index }, record.key)];
}

/** A null value: ignored, or (tombstones: delete) a delete of the row whose key is the record key. */
export function tombstoneOps(record: SinkRecord, index: number, options: MappingOptions): RowOp[] {
  if (options.tombstones === 'ignore') return [];
  const key = record.key;
  if (key === null || key === undefined) throw new RecordRefused('a tombstone without a key cannot name the row to delete');
  const row: Row = new Map();
  fillFromKey(row, key, record.keySchema?.fields);
  return [withKey({ kind: 'delete', table: options.tableFor(record.topic), row, pk: keyColumns(record, options), index }, key)];
}

/** Primary key columns the config or the record key names; empty leaves it to the table. */
export function keyColumns(record: SinkRecord, options: MappingOptions): string[] {
  if (options.primaryKey.length > 0) return options.primaryKey;
  return isPlainObject(record.key) ? Object.keys(record.key) : [];
}

export function withKey(op: RowOp, key: unknown): RowOp {
  if (isScalarKey(key)) op.scalarKey = key;
  return op;
}
