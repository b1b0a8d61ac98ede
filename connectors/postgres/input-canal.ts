import type { SinkRecord } from '../../src/sdk/index.ts';
import { normalizeCanalValue, pgTypeForMysql, pgTypeForValue } from './column-type.ts';
import { tombstoneOps } from './input-plain.ts';
import type { MappingOptions } from './record-mapper.ts';
import { RecordRefused, checkColumnName, describeValue, isPlainObject, type Row, type RowOp } from './row-op.ts';

/** True when the value looks like a Canal flat message. */
export function isCanalMessage(value: unknown): value is Record<string, unknown> & { type: string } {
  return isPlainObject(value) && typeof value.type === 'string' && (Array.isArray(value.data) || typeof value.isDdl === 'boolean');
}

/**
 * A Canal flat message: `INSERT` and `UPDATE` write each row of `data`, `DELETE` deletes each; DDL
 * and other types carry no rows and are skipped. Values are strings, cast by PostgreSQL to the
 * column type (auto-created columns take their type from `mysqlType`). An UPDATE whose `old` row
 * holds a primary key column changed the key: the row under the old key is deleted first.
 */
export function canalOps(record: SinkRecord, index: number, options: MappingOptions): RowOp[] {
  const value = record.value;
  if (value === null || value === undefined) return tombstoneOps(record, index, options);
  if (!isCanalMessage(value)) throw new RecordRefused(`not a Canal flat message (type with data[]): got ${describeValue(value)}`);
  if (value.isDdl === true) return [];
  const type = value.type.toUpperCase();
  if (type !== 'INSERT' && type !== 'UPDATE' && type !== 'DELETE') return [];
  if (!Array.isArray(value.data)) throw new RecordRefused(`Canal ${type} needs a "data" array, got ${describeValue(value.data)}`);
  if (type === 'DELETE' && !options.deletes) return [];
  const table = options.tableFor(record.topic);
  const pk = options.primaryKey.length > 0 ? options.primaryKey : pkNames(value.pkNames);
  const mysqlTypes = isPlainObject(value.mysqlType) ? value.mysqlType : {};
  const old = Array.isArray(value.old) ? value.old : [];
  const ops: RowOp[] = [];
  value.data.forEach((data: unknown, i: number) => {
    if (!isPlainObject(data)) throw new RecordRefused(`Canal data[${i}] must be an object, got ${describeValue(data)}`);
    const row = canalRow(data, mysqlTypes);
    if (type === 'DELETE') {
      ops.push({ kind: 'delete', table, row, pk, index });
      return;
    }
    const before = old[i];
    if (type === 'UPDATE' && isPlainObject(before) && pk.some((c) => Object.hasOwn(before, c))) {
      const oldKey: Row = new Map(row);
      for (const [name, cell] of canalRow(before, mysqlTypes)) oldKey.set(name, cell);
      ops.push({ kind: 'delete', table, row: oldKey, pk, index });
    }
    ops.push({ kind: 'upsert', table, row, pk, index });
  });
  return ops;
}

function canalRow(data: Record<string, unknown>, mysqlTypes: Record<string, unknown>): Row {
  const row: Row = new Map();
  for (const [name, raw] of Object.entries(data)) {
    checkColumnName(name);
    const mysqlType = typeof mysqlTypes[name] === 'string' ? mysqlTypes[name] : undefined;
    row.set(name, { value: normalizeCanalValue(raw, mysqlType), type: mysqlType === undefined ? pgTypeForValue(raw) : pgTypeForMysql(mysqlType) });
  }
  return row;
}

function pkNames(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string' && n !== '') : [];
}
