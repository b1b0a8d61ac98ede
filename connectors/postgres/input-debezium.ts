import type { Schema, SchemaField, SinkRecord } from '../../src/sdk/index.ts';
import type { TypeContext } from './column-type.ts';
import { keyColumns, tombstoneOps, withKey } from './input-plain.ts';
import type { MappingOptions } from './record-mapper.ts';
import { RecordRefused, describeValue, fillFromKey, isPlainObject, rowFromObject, type Row, type RowOp } from './row-op.ts';

/** True when the value looks like a Debezium change event envelope. */
export function isDebeziumEnvelope(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && typeof value.op === 'string' && ('after' in value || 'before' in value);
}

/**
 * A Debezium change event: `c` (create), `r` (snapshot read) and `u` (update) write `after`; `d`
 * deletes by the record key (or, for keyless tables, by `before`); `t` (truncate) and `m`
 * (message) carry no row and are skipped. Debezium follows each delete with a tombstone, which the
 * `tombstones` option handles like any other.
 */
export function debeziumOps(record: SinkRecord, index: number, options: MappingOptions): RowOp[] {
  const value = record.value;
  if (value === null || value === undefined) return tombstoneOps(record, index, options);
  if (!isDebeziumEnvelope(value)) throw new RecordRefused(`not a Debezium envelope (op with before/after): got ${describeValue(value)}`);
  const table = options.tableFor(record.topic);
  const pk = keyColumns(record, options);
  const context: TypeContext = { timeIsDuration: isMysqlSource(record.valueSchema, value.source) };
  switch (value.op) {
    case 'c':
    case 'r':
    case 'u': {
      const after = value.after;
      if (!isPlainObject(after)) throw new RecordRefused(`Debezium op "${value.op}" needs an "after" object, got ${describeValue(after)}`);
      const row = rowFromObject(after, envelopeFields(record.valueSchema, 'after'), context);
      fillFromKey(row, record.key, record.keySchema?.fields);
      return [withKey({ kind: 'upsert', table, row, pk, index }, record.key)];
    }
    case 'd': {
      if (!options.deletes) return [];
      const row: Row = isPlainObject(value.before) ? rowFromObject(value.before, envelopeFields(record.valueSchema, 'before'), context) : new Map();
      // The key names the row; `before` may be partial (REPLICA IDENTITY DEFAULT sends only the key).
      const keyRow: Row = new Map();
      fillFromKey(keyRow, record.key, record.keySchema?.fields);
      for (const [name, cell] of keyRow) row.set(name, cell);
      return [withKey({ kind: 'delete', table, row, pk, index }, record.key)];
    }
    case 't':
    case 'm':
      return [];
    default:
      throw new RecordRefused(`unknown Debezium op ${JSON.stringify(value.op)} (want c, r, u, d, t or m)`);
  }
}

/** Debezium's MySQL and MariaDB connectors: their `source` block's schema name, or its `connector` field. */
const MYSQL_SOURCE = /^io\.debezium\.connector\.(mysql|mariadb)\.Source$/;

/** Whether the event comes from MySQL/MariaDB, whose TIME columns are durations (see TypeContext). */
function isMysqlSource(schema: Schema | undefined, source: unknown): boolean {
  const sourceSchema = schema?.type === 'struct' ? schema.fields?.find((f) => f.field === 'source')?.schema : undefined;
  if (sourceSchema?.name !== undefined) return MYSQL_SOURCE.test(sourceSchema.name);
  return isPlainObject(source) && (source.connector === 'mysql' || source.connector === 'mariadb');
}

/** The struct fields of `before`/`after` in an envelope schema, when the record has one. */
function envelopeFields(schema: Schema | undefined, field: 'before' | 'after'): SchemaField[] | undefined {
  if (schema?.type !== 'struct') return undefined;
  const inner = schema.fields?.find((f) => f.field === field)?.schema;
  return inner?.type === 'struct' ? inner.fields : undefined;
}
