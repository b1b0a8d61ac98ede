import { ColumnType } from './column-type.ts';
import { decodeDecimal } from './decimal.ts';
import { decodePackedDatetime, decodePackedTime } from './temporal.ts';

/**
 * MySQL's binary JSON (the JSON column type, MySQL 5.7+) to JSON text, printed the way MySQL prints
 * it (`{"a": 1, "b": [true, null]}`), so a decoded value equals `SELECT json_col` byte for byte for
 * the common cases. MariaDB stores JSON as LONGTEXT and never reaches this decoder.
 *
 * doc      => type:1 value
 * object   => count size key_entry* value_entry* keys values   (small: 2-byte counts/offsets, large: 4)
 * array    => count size value_entry* values
 * key_entry => offset length:2        value_entry => type:1 (inlined value | offset)
 * literal  => 0 null, 1 true, 2 false; string => varlen length + utf8; opaque => field_type:1 varlen data
 * Offsets count from the first byte after the type byte of the enclosing object or array.
 */
const SMALL_OBJECT = 0x00;
const LARGE_OBJECT = 0x01;
const SMALL_ARRAY = 0x02;
const LARGE_ARRAY = 0x03;
const LITERAL = 0x04;
const INT16 = 0x05;
const UINT16 = 0x06;
const INT32 = 0x07;
const UINT32 = 0x08;
const INT64 = 0x09;
const UINT64 = 0x0a;
const DOUBLE = 0x0b;
const STRING = 0x0c;
const OPAQUE = 0x0f;

export function decodeJsonBinary(data: Buffer): string {
  // An empty value is what MySQL writes for a JSON NULL-equivalent in some paths: print it as null.
  if (data.length === 0) return 'null';
  return value(data, data[0] as number, 1);
}

function value(b: Buffer, type: number, at: number): string {
  switch (type) {
    case SMALL_OBJECT:
      return container(b, at, false, true);
    case LARGE_OBJECT:
      return container(b, at, true, true);
    case SMALL_ARRAY:
      return container(b, at, false, false);
    case LARGE_ARRAY:
      return container(b, at, true, false);
    case LITERAL:
      return literal(b[at] as number);
    case INT16:
      return String(b.readInt16LE(at));
    case UINT16:
      return String(b.readUInt16LE(at));
    case INT32:
      return String(b.readInt32LE(at));
    case UINT32:
      return String(b.readUInt32LE(at));
    case INT64:
      return b.readBigInt64LE(at).toString();
    case UINT64:
      return b.readBigUInt64LE(at).toString();
    case DOUBLE:
      return formatDouble(b.readDoubleLE(at));
    case STRING: {
      const { length, next } = varlen(b, at);
      return JSON.stringify(b.toString('utf8', next, next + length));
    }
    case OPAQUE:
      return opaque(b, at);
    default:
      throw new Error(`decoding binary JSON: unknown value type 0x${type.toString(16)} at ${at}`);
  }
}

function literal(v: number): string {
  if (v === 0) return 'null';
  if (v === 1) return 'true';
  if (v === 2) return 'false';
  throw new Error(`decoding binary JSON: unknown literal ${v}`);
}

function container(b: Buffer, start: number, large: boolean, isObject: boolean): string {
  const width = large ? 4 : 2;
  const read = (at: number): number => (large ? b.readUInt32LE(at) : b.readUInt16LE(at));
  const count = read(start);
  let cursor = start + 2 * width;
  const keys: string[] = [];
  if (isObject) {
    for (let i = 0; i < count; i++) {
      const offset = read(cursor);
      const length = b.readUInt16LE(cursor + width);
      keys.push(b.toString('utf8', start + offset, start + offset + length));
      cursor += width + 2;
    }
  }
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const type = b[cursor] as number;
    const entry = cursor + 1;
    if (isInlined(type, large)) values.push(inlined(b, type, entry));
    else values.push(value(b, type, start + read(entry)));
    cursor += 1 + width;
  }
  if (!isObject) return `[${values.join(', ')}]`;
  return `{${keys.map((k, i) => `${JSON.stringify(k)}: ${values[i] as string}`).join(', ')}}`;
}

function isInlined(type: number, large: boolean): boolean {
  if (type === LITERAL || type === INT16 || type === UINT16) return true;
  return large && (type === INT32 || type === UINT32);
}

function inlined(b: Buffer, type: number, at: number): string {
  switch (type) {
    case LITERAL:
      return literal(b.readUInt16LE(at));
    case INT16:
      return String(b.readInt16LE(at));
    case UINT16:
      return String(b.readUInt16LE(at));
    case INT32:
      return String(b.readInt32LE(at));
    default:
      return String(b.readUInt32LE(at));
  }
}

/** Variable-length length: 7 bits per byte, least significant group first, high bit = more. */
function varlen(b: Buffer, at: number): { length: number; next: number } {
  let length = 0;
  for (let i = 0; i < 5; i++) {
    const byte = b[at + i] as number;
    length += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { length, next: at + i + 1 };
  }
  throw new Error(`decoding binary JSON: a length at ${at} runs past 5 bytes`);
}

function opaque(b: Buffer, at: number): string {
  const fieldType = b[at] as number;
  const { length, next } = varlen(b, at + 1);
  const data = b.subarray(next, next + length);
  switch (fieldType) {
    case ColumnType.NEWDECIMAL:
      return decodeDecimal(data.subarray(2), data[0] as number, data[1] as number);
    case ColumnType.DATE:
      return JSON.stringify(decodePackedDatetime(data.readBigInt64LE(0), true));
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP:
    case ColumnType.DATETIME2:
    case ColumnType.TIMESTAMP2:
      return JSON.stringify(decodePackedDatetime(data.readBigInt64LE(0), false));
    case ColumnType.TIME:
    case ColumnType.TIME2:
      return JSON.stringify(decodePackedTime(data.readBigInt64LE(0)));
    default:
      // MySQL prints other opaque values (BLOB, BIT, GEOMETRY in JSON) as base64 with their type.
      return JSON.stringify(`base64:type${fieldType}:${data.toString('base64')}`);
  }
}

/** Doubles as MySQL prints them in JSON: shortest round-trip digits, `e` exponents without `+`. */
function formatDouble(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return Object.is(v, -0) ? '-0.0' : `${v}.0`;
  return String(v).replace('e+', 'e');
}
