import { Buffer } from 'node:buffer';
import { stringifyJson } from '../../src/sdk/index.ts';
import { RecordRefused } from './row-op.ts';

/** What formatting a value needs to know about its column (from the catalog, see table-catalog.ts). */
export interface ColumnFormat {
  /** Base type name without modifiers, e.g. `timestamp with time zone`, `numeric`, `integer[]` (domains resolved). */
  baseType: string;
  /** pg_type.typcategory: N numeric, S string, B boolean, D date/time, A array, U user (json, uuid) ... */
  category: string;
  /** Arrays: the element's base type and category. */
  element?: ColumnFormat;
}

const DATE = 'date';
const TIME_TYPES = new Set(['time without time zone', 'time with time zone']);
const TIMESTAMP_TYPES = new Set(['timestamp without time zone', 'timestamp with time zone']);

/**
 * The text PostgreSQL reads for `value` in a column of this type (input syntax, as a `$1::text` cast
 * or COPY would see it), or null for SQL NULL. Every value is sent as text and cast to the column's
 * type on the server, which is what lets Canal's string values land in typed columns.
 *
 * Conversions that depend on the column: numbers are epoch milliseconds in date/time columns
 * (Connect's Timestamp, schemaless producers); Dates keep only their date or time part in date and
 * time columns; booleans are 1/0 in numeric columns; bytes are hex in bytea and base64 elsewhere;
 * arrays become PostgreSQL array literals in array columns and JSON elsewhere; objects are JSON
 * (the SDK's encoder: exact bigints, base64 bytes). Data PostgreSQL would refuse is left to the
 * server, whose error names the problem; the only throw is RecordRefused for what JSON cannot hold
 * (NaN, a cycle), which makes the batch SINK_RECORD_REJECTED like a server-side data error.
 */
export function cellText(value: unknown, column: ColumnFormat): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      if (isTemporal(column)) return temporalText(new Date(Number(value)), column);
      if (column.category === 'B') return value === 0 || value === 0n ? 'false' : 'true';
      return String(value);
    case 'boolean':
      if (column.category === 'N') return value ? '1' : '0';
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return String(value);
  }
  if (value instanceof Date) return temporalText(value, column);
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return column.baseType === 'bytea' ? `\\x${bytes.toString('hex')}` : bytes.toString('base64');
  }
  if (Array.isArray(value) && column.category === 'A' && column.element !== undefined) return arrayLiteral(value, column.element);
  try {
    return stringifyJson(value);
  } catch (err) {
    throw new RecordRefused(`a value cannot be written as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function isTemporal(column: ColumnFormat): boolean {
  return column.baseType === DATE || TIME_TYPES.has(column.baseType) || TIMESTAMP_TYPES.has(column.baseType);
}

function temporalText(date: Date, column: ColumnFormat): string {
  if (Number.isNaN(date.getTime())) return 'invalid date';
  const iso = date.toISOString();
  if (column.baseType === DATE) return iso.slice(0, 10);
  if (column.baseType === 'time without time zone') return iso.slice(11, 23);
  if (column.baseType === 'time with time zone') return `${iso.slice(11, 23)}+00`;
  return iso;
}

/** `{"a","b",NULL}`: every element quoted, so no element text needs more than `"` and `\` escaped. */
function arrayLiteral(items: readonly unknown[], element: ColumnFormat): string {
  const parts = items.map((item) => {
    if (Array.isArray(item) && element.category !== 'A') return arrayLiteral(item, element);
    const text = cellText(item, element);
    return text === null ? 'NULL' : `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return `{${parts.join(',')}}`;
}
