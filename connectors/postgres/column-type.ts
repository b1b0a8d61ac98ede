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
const DEBEZIUM_BITS = 'io.debezium.data.Bits';

/** Connect Decimal's precision parameter (Debezium and Confluent's AvroData write it). */
const DECIMAL_PRECISION = 'connect.decimal.precision';
/** PostgreSQL's limits for numeric(p,s) and bit(n). */
const NUMERIC_MAX_PRECISION = 1000;
const BIT_MAX_LENGTH = 83_886_080;

/** Debezium's time types, whose values are durations when the source is MySQL (TIME is -838:59:59 to 838:59:59). */
const DEBEZIUM_TIMES = new Set([DEBEZIUM_TIME, DEBEZIUM_MICRO_TIME, DEBEZIUM_NANO_TIME]);

/** What the record says about the meaning of its schemas, beyond the schemas themselves. */
export interface TypeContext {
  /**
   * Debezium Time/MicroTime/NanoTime hold a MySQL TIME: a signed duration up to 838:59:59.999999,
   * which only `interval` holds (a `time` is a time of day, 00:00 to 24:00).
   */
  timeIsDuration?: boolean;
}

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

export function pgTypeForSchema(schema: Schema, context: TypeContext = {}): string {
  switch (schema.name) {
    case CONNECT_DECIMAL: {
      // numeric(p,s) when the schema states both, so the column keeps the source's declared type.
      const precision = smallInteger(schema.parameters?.[DECIMAL_PRECISION], NUMERIC_MAX_PRECISION);
      const scale = smallInteger(schema.parameters?.scale, NUMERIC_MAX_PRECISION);
      return precision !== undefined && precision >= 1 && scale !== undefined && scale <= precision ? `numeric(${precision},${scale})` : 'numeric';
    }
    case DEBEZIUM_BITS: {
      const length = smallInteger(schema.parameters?.length, BIT_MAX_LENGTH);
      return schema.type === 'bytes' ? (length !== undefined && length >= 1 ? `bit(${length})` : 'bit varying') : (PHYSICAL_TYPES[schema.type] ?? 'text');
    }
    default:
      if (context.timeIsDuration === true && schema.name !== undefined && DEBEZIUM_TIMES.has(schema.name)) return 'interval';
      return (schema.name !== undefined ? LOGICAL_TYPES[schema.name] : undefined) ?? PHYSICAL_TYPES[schema.type] ?? 'text';
  }
}

/** A schema parameter that is a plain decimal integer from 0 to `max` (it is written into DDL), else undefined. */
function smallInteger(text: string | undefined, max: number): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
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
  if (schema.name === DEBEZIUM_BITS && value instanceof Uint8Array) return bitString(value, smallInteger(schema.parameters?.length, BIT_MAX_LENGTH));
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
    case CONNECT_TIME:
      return isoDateTime(BigInt(value) * 1000n).slice(11);
    // Debezium's times may be negative or past 24 hours (MySQL TIME): written as a duration, which an
    // interval column takes as it is and a time column refuses when out of its range, never wrapped.
    case DEBEZIUM_TIME:
      return durationText(BigInt(value) * 1000n);
    case DEBEZIUM_MICRO_TIME:
      return durationText(BigInt(value));
    case DEBEZIUM_NANO_TIME:
      return durationText(BigInt(value) / 1000n);
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

/** `[-]HH:MM:SS.ffffff` for a signed number of microseconds; hours are not folded into days. */
export function durationText(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const seconds = abs / 1_000_000n;
  const two = (n: bigint): string => n.toString().padStart(2, '0');
  return `${negative ? '-' : ''}${two(seconds / 3600n)}:${two((seconds / 60n) % 60n)}:${two(seconds % 60n)}.${(abs % 1_000_000n).toString().padStart(6, '0')}`;
}

/**
 * Debezium's Bits (bytes little-endian, java.util.BitSet order) as the bit string PostgreSQL reads
 * for bit(n): most significant bit first, `length` digits (the bytes' own width when unknown).
 */
export function bitString(bytes: Uint8Array, length: number | undefined): string {
  let digits = '';
  for (let i = bytes.length - 1; i >= 0; i--) digits += (bytes[i] ?? 0).toString(2).padStart(8, '0');
  if (length === undefined) return digits;
  if (digits.length < length) return digits.padStart(length, '0');
  // Bits beyond the declared length must be zero; a set one is left in, so PostgreSQL refuses the value.
  const extra = digits.slice(0, digits.length - length);
  return extra.includes('1') ? digits : digits.slice(digits.length - length);
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
