import { stringifyJson, type RecordHeader, type Schema, type SchemaField, type SourceRecord } from '../../../src/sdk/index.ts';
import type { CellValue } from '../binlog/cell-decoder.ts';
import { ColumnType } from '../binlog/column-type.ts';
import type { ResolvedColumn, ResolvedTable } from '../schema/resolved-table.ts';
import type { Change, DdlChange, RowChange } from '../stream/change.ts';
import { datetimeToEpoch, dateToEpochDays, timestampToIso, timeToMicros } from './debezium-temporal.ts';
import { recordBase, type ChangeFormatter } from './formatter.ts';
import type { TopicRouter } from './topic-router.ts';

/**
 * Debezium's MySQL change event: key = the primary key struct, value = the envelope
 * `{ before, after, source, op, ts_ms, transaction }` with `source` as io.debezium.connector.mysql.Source.
 * Key and value carry Connect schemas, so a JSON serializer with schemas on writes Debezium's
 * `{schema, payload}` envelope. Type mapping follows Debezium's defaults except where they lose data:
 * DECIMAL and BIGINT UNSIGNED are `precise` (Connect Decimal) by default, never a double or a wrapped long.
 */
export interface DebeziumOptions {
  /** Debezium's `topic.prefix` / logical server name: `source.name` and the schema name prefix. */
  serverName: string;
  /** `precise`: Connect Decimal (exact); `string`: decimal text; `double`: float64 (lossy, Debezium's option). */
  decimalHandling: 'precise' | 'string' | 'double';
  /** Emit a null-value record after each delete, so log compaction can drop the key. */
  tombstonesOnDelete: boolean;
  connectorVersion: string;
}

const DECIMAL = 'org.apache.kafka.connect.data.Decimal';

/** Debezium's headers linking the two events of a primary-key update (the key as JSON text here). */
export const NEW_KEY_HEADER = '__debezium.newkey';
export const OLD_KEY_HEADER = '__debezium.oldkey';

const SOURCE_SCHEMA: Schema = {
  type: 'struct',
  name: 'io.debezium.connector.mysql.Source',
  fields: [
    { field: 'version', schema: { type: 'string' } },
    { field: 'connector', schema: { type: 'string' } },
    { field: 'name', schema: { type: 'string' } },
    { field: 'ts_ms', schema: { type: 'int64' } },
    { field: 'snapshot', schema: { type: 'string', optional: true, name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'true,last,false,incremental' }, default: 'false' } },
    { field: 'db', schema: { type: 'string' } },
    { field: 'sequence', schema: { type: 'string', optional: true } },
    { field: 'table', schema: { type: 'string', optional: true } },
    { field: 'server_id', schema: { type: 'int64' } },
    { field: 'gtid', schema: { type: 'string', optional: true } },
    { field: 'file', schema: { type: 'string' } },
    { field: 'pos', schema: { type: 'int64' } },
    { field: 'row', schema: { type: 'int32' } },
    { field: 'thread', schema: { type: 'int64', optional: true } },
    { field: 'query', schema: { type: 'string', optional: true } },
  ],
};

const TRANSACTION_SCHEMA: Schema = {
  type: 'struct',
  optional: true,
  name: 'event.block',
  version: 1,
  fields: [
    { field: 'id', schema: { type: 'string' } },
    { field: 'total_order', schema: { type: 'int64' } },
    { field: 'data_collection_order', schema: { type: 'int64' } },
  ],
};

interface TableSchemas {
  key: Schema | undefined;
  value: Schema;
  row: Schema;
}

export class DebeziumFormatter implements ChangeFormatter {
  private readonly schemas = new WeakMap<ResolvedTable, TableSchemas>();
  private readonly ddlSchemas: { key: Schema; value: Schema };

  constructor(
    private readonly topics: TopicRouter,
    private readonly ddlTopics: TopicRouter,
    private readonly sourcePartition: Record<string, unknown>,
    private readonly o: DebeziumOptions,
  ) {
    this.ddlSchemas = schemaChangeSchemas();
  }

  format(change: Change, now: number): SourceRecord[] {
    return change.kind === 'row' ? this.row(change, now) : [this.ddl(change, now)];
  }

  private tableSchemas(t: ResolvedTable): TableSchemas {
    let s = this.schemas.get(t);
    if (s === undefined) {
      const prefix = `${this.o.serverName}.${t.database}.${t.table}`;
      const rowFields: SchemaField[] = t.columns.map((c) => ({ field: c.name, schema: columnSchema(c, this.o, true) }));
      const row: Schema = { type: 'struct', optional: true, name: `${prefix}.Value`, fields: rowFields };
      const key: Schema | undefined =
        t.primaryKey.length === 0
          ? undefined
          : { type: 'struct', name: `${prefix}.Key`, fields: t.primaryKey.map((i) => ({ field: (t.columns[i] as ResolvedColumn).name, schema: columnSchema(t.columns[i] as ResolvedColumn, this.o, false) })) };
      const value: Schema = {
        type: 'struct',
        name: `${prefix}.Envelope`,
        version: 1,
        fields: [
          { field: 'before', schema: row },
          { field: 'after', schema: row },
          { field: 'source', schema: SOURCE_SCHEMA },
          { field: 'op', schema: { type: 'string' } },
          { field: 'ts_ms', schema: { type: 'int64', optional: true } },
          { field: 'transaction', schema: TRANSACTION_SCHEMA },
        ],
      };
      s = { key, value, row };
      this.schemas.set(t, s);
    }
    return s;
  }

  private source(c: Change, database: string, table: string | null, snapshot: string): Record<string, unknown> {
    return {
      version: this.o.connectorVersion,
      connector: 'mysql',
      name: this.o.serverName,
      ts_ms: c.timestamp * 1000,
      snapshot,
      db: database,
      sequence: null,
      table,
      server_id: c.serverId,
      gtid: c.txn.gtid,
      file: c.file,
      pos: c.eventPos,
      row: c.kind === 'row' ? c.rowInEvent : 0,
      thread: c.txn.threadId,
      query: c.txn.query,
    };
  }

  private row(c: RowChange, now: number): SourceRecord[] {
    const t = c.table;
    const s = this.tableSchemas(t);
    const image = (values: Array<CellValue | undefined> | undefined): Record<string, unknown> | null => {
      if (values === undefined) return null;
      const out: Record<string, unknown> = {};
      t.columns.forEach((col, i) => {
        const v = values[i];
        out[col.name] = v === undefined ? null : debeziumValue(col, v, this.o);
      });
      return out;
    };
    const after = image(c.after);
    const before = image(c.before);
    const keyOf = (row: Record<string, unknown> | null): Record<string, unknown> | null =>
      s.key === undefined || row === null ? null : Object.fromEntries(t.primaryKey.map((i) => [(t.columns[i] as ResolvedColumn).name, row[(t.columns[i] as ResolvedColumn).name]]));
    const topic = this.topics.topicFor(t.database, t.table);
    const base = recordBase(c, this.sourcePartition);
    const record = (op: string, key: Record<string, unknown> | null, b: Record<string, unknown> | null, a: Record<string, unknown> | null, headers: RecordHeader[] = []): SourceRecord => ({
      topic,
      ...(s.key === undefined ? { key: null } : { key, keySchema: s.key }),
      value: { before: b, after: a, source: this.source(c, t.database, t.table, c.snapshot ?? 'false'), op, ts_ms: now, transaction: null },
      valueSchema: s.value,
      ...base,
      headers: [...base.headers, ...headers],
    });
    const deleted = (key: Record<string, unknown> | null, b: Record<string, unknown> | null, headers: RecordHeader[] = []): SourceRecord[] => {
      const out = [record('d', key, b, null, headers)];
      if (this.o.tombstonesOnDelete && key !== null) out.push({ topic, key, keySchema: s.key, value: null, ...base, headers: [...base.headers, ...headers] });
      return out;
    };
    if (c.op === 'delete') return deleted(keyOf(before), before);
    if (c.op === 'update') {
      const oldKey = keyOf(before);
      const newKey = keyOf(after);
      // An update of the primary key is, as in Debezium, a delete under the old key (with its
      // tombstone) and a create under the new one, linked by the __debezium.newkey/oldkey headers:
      // a record keyed by the new key alone would leave the old row in every keyed consumer.
      if (oldKey !== null && newKey !== null && stringifyJson(oldKey) !== stringifyJson(newKey)) {
        return [...deleted(oldKey, before, [{ key: NEW_KEY_HEADER, value: stringifyJson(newKey) }]), record('c', newKey, null, after, [{ key: OLD_KEY_HEADER, value: stringifyJson(oldKey) }])];
      }
    }
    const op = c.op === 'insert' ? 'c' : c.op === 'update' ? 'u' : 'r';
    return [record(op, keyOf(after), before, after)];
  }

  private ddl(c: DdlChange, now: number): SourceRecord {
    const table = c.tables[0]?.table ?? null;
    const value = {
      source: this.source(c, c.database, table, 'false'),
      ts_ms: now,
      databaseName: c.database,
      schemaName: null,
      ddl: c.sql,
      tableChanges: [],
    };
    return {
      topic: this.ddlTopics.topicFor(c.database, table ?? ''),
      key: { databaseName: c.database },
      keySchema: this.ddlSchemas.key,
      value,
      valueSchema: this.ddlSchemas.value,
      ...recordBase(c, this.sourcePartition),
    };
  }
}

function schemaChangeSchemas(): { key: Schema; value: Schema } {
  return {
    key: { type: 'struct', name: 'io.debezium.connector.mysql.SchemaChangeKey', version: 1, fields: [{ field: 'databaseName', schema: { type: 'string' } }] },
    value: {
      type: 'struct',
      name: 'io.debezium.connector.mysql.SchemaChangeValue',
      version: 1,
      fields: [
        { field: 'source', schema: SOURCE_SCHEMA },
        { field: 'ts_ms', schema: { type: 'int64' } },
        { field: 'databaseName', schema: { type: 'string', optional: true } },
        { field: 'schemaName', schema: { type: 'string', optional: true } },
        { field: 'ddl', schema: { type: 'string', optional: true } },
        { field: 'tableChanges', schema: { type: 'array', items: { type: 'struct', name: 'io.debezium.connector.schema.Change', fields: [] } } },
      ],
    },
  };
}

/** The Connect schema of a column's value, as Debezium's MySQL connector builds it. */
export function columnSchema(c: ResolvedColumn, o: Pick<DebeziumOptions, 'decimalHandling'>, optional: boolean): Schema {
  const opt = optional && c.nullable ? { optional: true } : {};
  const decimal = (precision: number, scale: number): Schema =>
    o.decimalHandling === 'string'
      ? { type: 'string', ...opt }
      : o.decimalHandling === 'double'
        ? { type: 'float64', ...opt }
        : { type: 'bytes', name: DECIMAL, version: 1, parameters: { scale: String(scale), 'connect.decimal.precision': String(precision) }, ...opt };
  // Temporal values may be zero dates, which have no instant: optional regardless of NOT NULL.
  const temporalOpt = optional ? { optional: true } : {};
  switch (c.binlogType) {
    case ColumnType.TINY:
      return { type: 'int16', ...opt };
    case ColumnType.SHORT:
      return { type: c.unsigned ? 'int32' : 'int16', ...opt };
    case ColumnType.INT24:
      return { type: 'int32', ...opt };
    case ColumnType.LONG:
      return { type: c.unsigned ? 'int64' : 'int32', ...opt };
    case ColumnType.LONGLONG:
      return c.unsigned ? decimal(20, 0) : { type: 'int64', ...opt };
    case ColumnType.FLOAT:
      return { type: 'float32', ...opt };
    case ColumnType.DOUBLE:
      return { type: 'float64', ...opt };
    case ColumnType.NEWDECIMAL:
      return decimal(c.meta >> 8, c.meta & 0xff);
    case ColumnType.YEAR:
      return { type: 'int32', name: 'io.debezium.time.Year', version: 1, ...opt };
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      return { type: 'int32', name: 'io.debezium.time.Date', version: 1, ...temporalOpt };
    case ColumnType.TIME:
    case ColumnType.TIME2:
      return { type: 'int64', name: 'io.debezium.time.MicroTime', version: 1, ...opt };
    case ColumnType.DATETIME:
    case ColumnType.DATETIME2:
      return c.meta <= 3 ? { type: 'int64', name: 'io.debezium.time.Timestamp', version: 1, ...temporalOpt } : { type: 'int64', name: 'io.debezium.time.MicroTimestamp', version: 1, ...temporalOpt };
    case ColumnType.TIMESTAMP:
    case ColumnType.TIMESTAMP2:
      return { type: 'string', name: 'io.debezium.time.ZonedTimestamp', version: 1, ...temporalOpt };
    case ColumnType.BIT:
      return c.meta === 1 ? { type: 'boolean', ...opt } : { type: 'bytes', name: 'io.debezium.data.Bits', version: 1, parameters: { length: String(c.meta) }, ...opt };
    case ColumnType.ENUM:
      return { type: 'string', name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: (c.enumValues ?? []).join(',') }, ...opt };
    case ColumnType.SET:
      return { type: 'string', name: 'io.debezium.data.EnumSet', version: 1, parameters: { allowed: (c.setValues ?? []).join(',') }, ...opt };
    case ColumnType.JSON:
      return { type: 'string', name: 'io.debezium.data.Json', version: 1, ...opt };
    case ColumnType.GEOMETRY:
      return {
        type: 'struct',
        name: 'io.debezium.data.geometry.Geometry',
        version: 1,
        doc: 'Geometry',
        fields: [
          { field: 'wkb', schema: { type: 'bytes' } },
          { field: 'srid', schema: { type: 'int32', optional: true } },
        ],
        ...opt,
      };
    default:
      if (c.dataType === 'json') return { type: 'string', name: 'io.debezium.data.Json', version: 1, ...opt };
      return c.binary ? { type: 'bytes', ...opt } : { type: 'string', ...opt };
  }
}

/** A decoded cell as the value Debezium writes for it (see columnSchema). */
export function debeziumValue(c: ResolvedColumn, v: CellValue, o: Pick<DebeziumOptions, 'decimalHandling'>): unknown {
  if (v === null) return null;
  switch (c.binlogType) {
    case ColumnType.LONGLONG:
      if (c.unsigned) return o.decimalHandling === 'double' ? Number(v) : String(v);
      return safeInt(v as bigint);
    case ColumnType.NEWDECIMAL:
      return o.decimalHandling === 'double' ? Number(v) : v;
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      return dateToEpochDays(v as string);
    case ColumnType.TIME:
    case ColumnType.TIME2:
      return timeToMicros(v as string);
    case ColumnType.DATETIME:
    case ColumnType.DATETIME2:
      return datetimeToEpoch(v as string, c.meta <= 3 ? 'ms' : 'us');
    case ColumnType.TIMESTAMP:
    case ColumnType.TIMESTAMP2:
      return timestampToIso(v as string);
    case ColumnType.BIT: {
      const b = v as Buffer;
      if (c.meta === 1) return (b[0] ?? 0) !== 0;
      // Debezium's Bits are little-endian (java.util.BitSet.toByteArray order).
      return Buffer.from(b).reverse();
    }
    case ColumnType.GEOMETRY: {
      const b = v as Buffer;
      return { wkb: b.subarray(4), srid: b.length >= 4 ? b.readUInt32LE(0) : null };
    }
    default:
      return v;
  }
}

function safeInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
