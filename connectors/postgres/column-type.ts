import { Buffer } from 'node:buffer';
import type { Schema } from '../../src/sdk/index.ts';

/**
 * Column types for auto-created tables and added columns, and the value conversions some logical
 * types need. Three sources, best first: the record's Connect schema (the type is exact), Canal's
 * `mysqlType` (the MySQL column type), and the JS value itself (schemaless JSON). The type strings
 * are PostgreSQL type names written into DDL as they are, so they come from the fixed maps below,
 * never from record data.
 */

const CONNECT_DECIMAL = 'org.apache.kafka.connect.data.Decimal';
const CONNECT_DATE = 'org.apache.kafka.connect.data.Date';
const CONNECT_TIME = 'org.apache.kafka.connect.data.Time';
const CONNECT_TIMESTAMP = 'org.apache.kafka.connect.data.Timestamp';

const DEBEZIUM_DATE = 'io.debezium.time.Date';
const DEBEZIUM_TIMESTAMP = 'io.debezium.time.Timestamp';
const DEBEZIUM_MICRO_TIMESTAMP = 'io.debezium.time.MicroTimestamp';
const DEBEZIUM_NANO_TIMESTAMP = 'io.debezium.time.NanoTimestamp';
const DEBEZIUM_ZONED_TIMESTAMP = 'io.debezium.time.ZonedTimestamp';
const DEBEZIUM_TIME = 'io.debezium.time.Time';
const DEBEZIUM_MICRO_TIME = 'io.debezium.time.MicroTime';
const DEBEZIUM_NANO_TIME = 'io.debezium.time.NanoTime';
const DEBEZIUM_ZONED_TIME = 'io.debezium.time.ZonedTime';

/** Logical types (Connect's and Debezium's) whose column type differs from their physical type's. */
const LOGICAL_TYPES: Record<string, string> = {
  [CONNECT_DECIMAL]: 'numeric',
  [CONNECT_DATE]: 'date',
  [CONNECT_TIME]: 'time',
  [CONNECT_TIMESTAMP]: 'timestamptz',
  [DEBEZIUM_DATE]: 'date',
  // Debezium's Timestamp family is a local date-time (MySQL DATETIME), not an instant.
  [DEBEZIUM_TIMESTAMP]: 'timestamp',
  [DEBEZIUM_MICRO_TIMESTAMP]: 'timestamp',
  [DEBEZIUM_NANO_TIMESTAMP]: 'timestamp',
  [DEBEZIUM_ZONED_TIMESTAMP]: 'timestamptz',
  [DEBEZIUM_TIME]: 'time',
  [DEBEZIUM_MICRO_TIME]: 'time',
  [DEBEZIUM_NANO_TIME]: 'time',
  [DEBEZIUM_ZONED_TIME]: 'timetz',
  'io.debezium.data.Json': 'jsonb',
  'io.debezium.data.Uuid': 'uuid',
  'io.debezium.data.Xml': 'xml',
};

const PHYSICAL_TYPES: Record<Schema['type'], string> = {
  int8: 'smallint',
  int16: 'smallint',
  int32: 'integer',
  int64: 'bigint',
  float32: 'real',
  float64: 'double precision',
  boolean: 'boolean',
  string: 'text',
  bytes: 'bytea',
  array: 'jsonb',
  map: 'jsonb',
  struct: 'jsonb',
};

export function pgTypeForSchema(schema: Schema): string {
  return (schema.name !== undefined ? LOGICAL_TYPES[schema.name] : undefined) ?? PHYSICAL_TYPES[schema.type] ?? 'text';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** For schemaless values; undefined for null (the type is unknown until a value shows up). */
export function pgTypeForValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return Number.isInteger(value) ? 'bigint' : 'double precision';
    case 'bigint':
      return value >= INT64_MIN && value <= INT64_MAX ? 'bigint' : 'numeric';
    case 'boolean':
      return 'boolean';
    case 'object':
      if (value === null) return undefined;
      if (value instanceof Date) return 'timestamptz';
      if (value instanceof Uint8Array) return 'bytea';
      return 'jsonb';
    default:
      return undefined;
  }
}

/**
 * Turns values of logical types that arrive as numbers (Debezium's time types, Connect's when a
 * producer left them physical) into the text PostgreSQL reads for the column type above. Other
 * values pass through.
 */
export function normalizeBySchema(value: unknown, schema: Schema): unknown {
  if (value === null || value === undefined || schema.name === undefined) return value;
  if (typeof value !== 'number' && typeof value !== 'bigint') return value;
  switch (schema.name) {
    case DEBEZIUM_DATE:
    case CONNECT_DATE:
      return isoDateTime(BigInt(value) * 86_400_000n * 1000n).slice(0, 10);
    case DEBEZIUM_TIMESTAMP:
      return isoDateTime(BigInt(value) * 1000n);
    case CONNECT_TIMESTAMP:
      return `${isoDateTime(BigInt(value) * 1000n)}Z`;
    case DEBEZIUM_MICRO_TIMESTAMP:
      return isoDateTime(BigInt(value));
    case DEBEZIUM_NANO_TIMESTAMP:
      return isoDateTime(floorDiv(BigInt(value), 1000n));
    case DEBEZIUM_TIME:
    case CONNECT_TIME:
      return isoDateTime(BigInt(value) * 1000n).slice(11);
    case DEBEZIUM_MICRO_TIME:
      return isoDateTime(BigInt(value)).slice(11);
    case DEBEZIUM_NANO_TIME:
      return isoDateTime(floorDiv(BigInt(value), 1000n)).slice(11);
    default:
      return value;
  }
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` (no zone) for microseconds since the epoch, exact beyond 2^53. */
export function isoDateTime(micros: bigint): string {
  const ms = floorDiv(micros, 1000n);
  const rest = micros - ms * 1000n;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${rest.toString().padStart(3, '0')}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** MySQL base type -> PostgreSQL type; `unsigned` widens the integer types so every value fits. */
const MYSQL_TYPES: Record<string, { signed: string; unsigned?: string }> = {
  tinyint: { signed: 'smallint' },
  smallint: { signed: 'smallint', unsigned: 'integer' },
  mediumint: { signed: 'integer' },
  int: { signed: 'integer', unsigned: 'bigint' },
  integer: { signed: 'integer', unsigned: 'bigint' },
  bigint: { signed: 'bigint', unsigned: 'numeric(20)' },
  float: { signed: 'real' },
  double: { signed: 'double precision' },
  real: { signed: 'double precision' },
  year: { signed: 'smallint' },
  date: { signed: 'date' },
  datetime: { signed: 'timestamp' },
  // MySQL TIMESTAMP is an instant, but Canal renders it in the server's zone without saying which.
  timestamp: { signed: 'timestamp' },
  time: { signed: 'time' },
  json: { signed: 'jsonb' },
  binary: { signed: 'bytea' },
  varbinary: { signed: 'bytea' },
  tinyblob: { signed: 'bytea' },
  blob: { signed: 'bytea' },
  mediumblob: { signed: 'bytea' },
  longblob: { signed: 'bytea' },
};

const MYSQL_TYPE = /^\s*([a-z]+)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?(.*)$/i;

/** The column type for a Canal `mysqlType` entry such as `decimal(10,2)` or `int(10) unsigned`. */
export function pgTypeForMysql(mysqlType: string): string {
  const m = MYSQL_TYPE.exec(mysqlType);
  if (m === null) return 'text';
  const base = (m[1] ?? '').toLowerCase();
  if (base === 'decimal' || base === 'numeric') {
    const precision = m[2];
    // PostgreSQL numeric precision tops out at 1000; MySQL's at 65, so the numbers carry over.
    return precision === undefined ? 'numeric' : `numeric(${Number(precision)},${Number(m[3] ?? 0)})`;
  }
  const mapped = MYSQL_TYPES[base];
  if (mapped === undefined) return 'text';
  const unsigned = /\bunsigned\b/i.test(m[4] ?? '');
  return unsigned ? (mapped.unsigned ?? mapped.signed) : mapped.signed;
}

/**
 * Canal writes every value as a string; PostgreSQL casts them by the column type. Binary columns
 * are the exception: Canal decodes their bytes as ISO-8859-1, so they are turned back into bytes.
 */
export function normalizeCanalValue(value: unknown, mysqlType: string | undefined): unknown {
  if (typeof value !== 'string' || mysqlType === undefined) return value;
  return pgTypeForMysql(mysqlType) === 'bytea' ? Buffer.from(value, 'latin1') : value;
}
