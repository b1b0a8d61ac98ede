import type { SourceRecord } from '../../../src/sdk/index.ts';
import type { CellValue } from '../binlog/cell-decoder.ts';
import { ColumnType } from '../binlog/column-type.ts';
import type { ResolvedColumn, ResolvedTable } from '../schema/resolved-table.ts';
import type { Change, DdlChange, RowChange } from '../stream/change.ts';
import { recordBase, type ChangeFormatter } from './formatter.ts';
import { javaDoubleString, javaFloatString } from './java-number.ts';
import type { TopicRouter } from './topic-router.ts';

/**
 * Canal's FlatMessage (com.alibaba.otter.canal.protocol.FlatMessage), field for field:
 * `{ id, database, table, pkNames, isDdl, type, es, ts, sql, sqlType, mysqlType, data, old, gtid }`,
 * with every value a string as Canal prints it (see `canalString`). One message per row, which is
 * what Canal's own Kafka producer sends with partitionHash on the primary key; `data` stays a list.
 *
 * `id` is Canal's batch id; here it identifies the source transaction (binlog file number * 2^32 +
 * start position), so all rows of one transaction share it and a replay produces the same id.
 */
export interface FlatMessage {
  id: number;
  database: string;
  table: string;
  pkNames: string[] | null;
  isDdl: boolean;
  type: string;
  es: number;
  ts: number;
  sql: string;
  sqlType: Record<string, number> | null;
  mysqlType: Record<string, string> | null;
  data: Array<Record<string, string | null>> | null;
  old: Array<Record<string, string | null>> | null;
  gtid: string;
}

/* java.sql.Types codes Canal reports in sqlType. */
const Types = {
  BIT: -7,
  TINYINT: -6,
  SMALLINT: 5,
  INTEGER: 4,
  BIGINT: -5,
  REAL: 7,
  DOUBLE: 8,
  DECIMAL: 3,
  CHAR: 1,
  VARCHAR: 12,
  DATE: 91,
  TIME: 92,
  TIMESTAMP: 93,
  BINARY: -2,
  VARBINARY: -3,
  BLOB: 2004,
  CLOB: 2005,
} as const;

export class CanalFormatter implements ChangeFormatter {
  constructor(
    private readonly topics: TopicRouter,
    private readonly ddlTopics: TopicRouter,
    private readonly sourcePartition: Record<string, unknown>,
  ) {}

  format(change: Change, now: number): SourceRecord[] {
    return [change.kind === 'row' ? this.row(change, now) : this.ddl(change, now)];
  }

  private row(c: RowChange, now: number): SourceRecord {
    const t = c.table;
    const image = c.op === 'delete' ? c.before : c.after;
    const sqlType: Record<string, number> = {};
    const mysqlType: Record<string, string> = {};
    const data: Record<string, string | null> = {};
    t.columns.forEach((col, i) => {
      const v = image?.[i];
      if (v === undefined) return;
      data[col.name] = canalString(col, v);
      sqlType[col.name] = canalSqlType(col, v);
      mysqlType[col.name] = col.columnType;
    });
    let old: Array<Record<string, string | null>> | null = null;
    if (c.op === 'update' && c.before !== undefined) {
      const changed: Record<string, string | null> = {};
      t.columns.forEach((col, i) => {
        const before = c.before?.[i];
        if (before === undefined) return;
        const b = canalString(col, before);
        if (b !== data[col.name]) changed[col.name] = b;
      });
      old = [changed];
    }
    const message: FlatMessage = {
      id: batchId(c),
      database: t.database,
      table: t.table,
      pkNames: t.primaryKey.map((i) => (t.columns[i] as ResolvedColumn).name),
      isDdl: false,
      type: c.op === 'update' ? 'UPDATE' : c.op === 'delete' ? 'DELETE' : 'INSERT',
      es: c.timestamp * 1000,
      ts: now,
      sql: '',
      sqlType,
      mysqlType,
      data: [data],
      old,
      gtid: c.txn.gtid ?? '',
    };
    return { topic: this.topics.topicFor(t.database, t.table), key: canalKey(t, data), value: message, ...recordBase(c, this.sourcePartition) };
  }

  private ddl(c: DdlChange, now: number): SourceRecord {
    const table = c.tables[0]?.table ?? '';
    const message: FlatMessage = {
      id: batchId(c),
      database: c.database,
      table,
      pkNames: null,
      isDdl: true,
      type: c.type,
      es: c.timestamp * 1000,
      ts: now,
      sql: c.sql,
      sqlType: null,
      mysqlType: null,
      data: null,
      old: null,
      gtid: c.txn.gtid ?? '',
    };
    return { topic: this.ddlTopics.topicFor(c.database, table), key: `${c.database}.${table}`, value: message, ...recordBase(c, this.sourcePartition) };
  }
}

/**
 * The record key: the primary key as JSON text of Canal strings (`{"id":"42"}`), so the murmur2
 * partitioner keeps each row's changes in order; tables without a key use `database.table`, which
 * keeps the table's changes in order (what Canal's partitionHash does for them).
 */
function canalKey(t: ResolvedTable, data: Record<string, string | null>): string {
  if (t.primaryKey.length === 0) return `${t.database}.${t.table}`;
  const key: Record<string, string | null> = {};
  for (const i of t.primaryKey) {
    const name = (t.columns[i] as ResolvedColumn).name;
    key[name] = data[name] ?? null;
  }
  return JSON.stringify(key);
}

function batchId(c: Change): number {
  const m = /\.(\d+)$/.exec(c.txn.startFile);
  return (m ? Number(m[1]) : 0) * 2 ** 32 + c.txn.startPos;
}

/** A value as Canal prints it: numbers in Java's formats, binary data as ISO-8859-1 text. */
export function canalString(col: ResolvedColumn, v: CellValue): string | null {
  if (v === null) return null;
  switch (col.binlogType) {
    case ColumnType.FLOAT:
      return javaFloatString(v as number);
    case ColumnType.DOUBLE:
      return javaDoubleString(v as number);
    case ColumnType.YEAR:
      return String(v).padStart(4, '0');
    case ColumnType.BIT:
      return bitsToBigInt(v as Buffer).toString();
    default:
      if (Buffer.isBuffer(v)) return v.toString('latin1');
      return String(v);
  }
}

export function bitsToBigInt(b: Buffer): bigint {
  let n = 0n;
  for (const byte of b) n = (n << 8n) | BigInt(byte);
  return n;
}

const SIGNED_MAX: Record<number, bigint> = {
  [ColumnType.TINY]: 127n,
  [ColumnType.SHORT]: 32767n,
  [ColumnType.INT24]: 8388607n,
  [ColumnType.LONG]: 2147483647n,
  [ColumnType.LONGLONG]: 9223372036854775807n,
};

/** Canal's java.sql.Types code for a column, including its one-size-up for UNSIGNED values past the signed range. */
export function canalSqlType(col: ResolvedColumn, v: CellValue): number {
  const t = col.binlogType;
  const bumped = col.unsigned && v !== null && (typeof v === 'number' || typeof v === 'bigint') && BigInt(v) > (SIGNED_MAX[t] ?? BigInt(Number.MAX_SAFE_INTEGER));
  switch (t) {
    case ColumnType.TINY:
      return bumped ? Types.SMALLINT : Types.TINYINT;
    case ColumnType.SHORT:
      return bumped ? Types.INTEGER : Types.SMALLINT;
    case ColumnType.INT24:
      return Types.INTEGER;
    case ColumnType.LONG:
      return bumped ? Types.BIGINT : Types.INTEGER;
    case ColumnType.LONGLONG:
      return bumped ? Types.DECIMAL : Types.BIGINT;
    case ColumnType.NEWDECIMAL:
      return Types.DECIMAL;
    case ColumnType.FLOAT:
      return Types.REAL;
    case ColumnType.DOUBLE:
      return Types.DOUBLE;
    case ColumnType.BIT:
      return Types.BIT;
    case ColumnType.TIMESTAMP:
    case ColumnType.TIMESTAMP2:
    case ColumnType.DATETIME:
    case ColumnType.DATETIME2:
      return Types.TIMESTAMP;
    case ColumnType.TIME:
    case ColumnType.TIME2:
      return Types.TIME;
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      return Types.DATE;
    case ColumnType.YEAR:
      return Types.VARCHAR;
    case ColumnType.ENUM:
      return Types.INTEGER;
    case ColumnType.SET:
      return Types.BINARY;
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
      return col.binary ? Types.BLOB : Types.CLOB;
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
      return col.binary ? Types.VARBINARY : Types.VARCHAR;
    case ColumnType.STRING:
      return col.binary ? Types.BINARY : Types.CHAR;
    case ColumnType.GEOMETRY:
      return Types.BINARY;
    case ColumnType.JSON:
      return Types.VARCHAR;
    default:
      return 1111; // Types.OTHER
  }
}
