import type { Schema } from '../sdk/schema.ts';
import { decimalText, formatDecimal, fromTwosComplement, normalizeDecimal, toTwosComplement, unscaled } from './decimal.ts';
import { JsonNumber } from '../sdk/json-text.ts';
import { DATE, DECIMAL, DECIMAL_SCALE, MS_PER_DAY, TIME, TIMESTAMP } from './logical-types.ts';

/**
 * Record data ⇄ the `payload` of Kafka Connect's JsonConverter envelope, directed by a schema,
 * following `JsonConverter.convertToJson` / `convertToConnect`:
 *
 * - int8..int64, float32/64, boolean, string as JSON scalars; int64 beyond 2^53 stays exact (bigint);
 * - bytes as base64 strings; arrays as arrays;
 * - maps with string keys as objects, other maps as arrays of `[key, value]` pairs;
 * - structs as objects with the schema's fields in schema order;
 * - Decimal as base64 of the unscaled two's-complement bytes (or a JSON number with
 *   `decimalFormat: numeric`), Date as days since the epoch, Time as milliseconds since midnight,
 *   Timestamp as epoch milliseconds;
 * - null: the schema's default when it has one and `replaceNullWithDefault` is on, null when the
 *   schema is optional, an error otherwise.
 *
 * JS side (what sources produce and sinks receive): see logical-types.ts for logical types; a map
 * is a plain object when its keys are strings and a `Map` otherwise; int64 is a number when it fits
 * 2^53 and a bigint beyond.
 *
 * Stricter than Connect in two places, both to keep data from changing silently: a struct value with
 * a property its schema does not declare is an error (Connect's Struct cannot hold one), and numbers
 * that do not fit their integer type are errors (Connect narrows them).
 *
 * Errors are plain Errors whose message starts with the path of the offending field; the serde adds
 * its error code and context.
 */
export interface ConnectDataOptions {
  decimalFormat: 'base64' | 'numeric';
  replaceNullWithDefault: boolean;
}

const INT_RANGES = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
} as const;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** `address.zip`, `items[2]`; the root is named by the caller. */
function at(path: string): string {
  return path === '' ? 'value' : path;
}

function child(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Date) return 'a Date';
  if (value instanceof Map) return 'a Map';
  if (value instanceof JsonNumber) return 'a number';
  const t = typeof value;
  return t === 'object' ? 'an object' : `a ${t}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date) && !(value instanceof Map) && !(value instanceof JsonNumber);
}

function decimalScale(schema: Schema, path: string): number {
  const raw = schema.parameters?.[DECIMAL_SCALE];
  const scale = Number(raw);
  if (raw === undefined || !Number.isInteger(scale)) throw new Error(`${at(path)}: Decimal schema has no integer "${DECIMAL_SCALE}" parameter`);
  return scale;
}

function typeName(schema: Schema): string {
  return schema.name === undefined ? schema.type : schema.name.slice(schema.name.lastIndexOf('.') + 1);
}

/** Writes JS record data as a JSON-ready tree (bigint, Buffer and JsonNumber left to json-text). */
export class ConnectDataWriter {
  /** Declared field names per struct schema, for the undeclared-property check. */
  private readonly declared = new WeakMap<Schema, ReadonlySet<string>>();

  constructor(private readonly options: ConnectDataOptions) {}

  write(value: unknown, schema: Schema, path = ''): unknown {
    if (value === null || value === undefined) {
      if (schema.default !== undefined && schema.default !== null && this.options.replaceNullWithDefault) return this.write(schema.default, schema, path);
      if (schema.optional === true) return null;
      throw new Error(`${at(path)}: null for a required ${typeName(schema)} with no default`);
    }
    switch (schema.name) {
      case DECIMAL:
        return this.writeDecimal(value, schema, path);
      case DATE:
        return writeDate(value, path);
      case TIME:
        return writeTime(value, path);
      case TIMESTAMP:
        return writeTimestamp(value, path);
    }
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return writeInt(value, schema.type, path);
      case 'int64':
        return writeInt64(value, path);
      case 'float32':
      case 'float64':
        if (typeof value === 'number' && Number.isFinite(value)) return value;
        throw mismatch(path, `a finite number (${schema.type})`, value);
      case 'boolean':
        if (typeof value === 'boolean') return value;
        throw mismatch(path, 'a boolean', value);
      case 'string':
        if (typeof value === 'string') return value;
        throw mismatch(path, 'a string', value);
      case 'bytes':
        if (value instanceof Uint8Array) return value;
        throw mismatch(path, 'bytes (a Buffer)', value);
      case 'array':
        return this.writeArray(value, schema, path);
      case 'map':
        return this.writeMap(value, schema, path);
      case 'struct':
        return this.writeStruct(value, schema, path);
      default:
        throw new Error(`${at(path)}: unknown schema type "${String(schema.type)}"`);
    }
  }

  private writeDecimal(value: unknown, schema: Schema, path: string): Buffer | JsonNumber {
    const scale = decimalScale(schema, path);
    let n: bigint;
    try {
      n = unscaled(decimalText(value), scale);
    } catch (err) {
      throw new Error(`${at(path)}: ${(err as Error).message}`, { cause: err });
    }
    return this.options.decimalFormat === 'numeric' ? new JsonNumber(formatDecimal(n, scale)) : toTwosComplement(n);
  }

  private writeArray(value: unknown, schema: Schema, path: string): unknown[] {
    if (!Array.isArray(value)) throw mismatch(path, 'an array', value);
    const items = requireSub(schema.items, 'items', path);
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = this.write(value[i], items, `${path}[${i}]`);
    return out;
  }

  private writeMap(value: unknown, schema: Schema, path: string): unknown {
    const keys = requireSub(schema.keys, 'keys', path);
    const values = requireSub(schema.values, 'values', path);
    const fromObject = isPlainObject(value);
    if (!fromObject && !(value instanceof Map)) throw mismatch(path, 'a map (an object or a Map)', value);
    const entries: Iterable<[unknown, unknown]> = fromObject ? Object.entries(value) : (value as Map<unknown, unknown>);
    if (keys.type === 'string') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of entries) {
        const key = this.write(k, keys, `${child(path, String(k))} (key)`) as string;
        define(out, key, this.write(v, values, child(path, key)));
      }
      return out;
    }
    const pairs: unknown[] = [];
    for (const [k, v] of entries) {
      // Object keys are always strings; a non-string key schema reads them as the values they spell.
      const key = fromObject ? objectKey(k as string, keys, path) : k;
      pairs.push([this.write(key, keys, `${child(path, String(k))} (key)`), this.write(v, values, child(path, String(k)))]);
    }
    return pairs;
  }

  private writeStruct(value: unknown, schema: Schema, path: string): Record<string, unknown> {
    if (!isPlainObject(value)) throw mismatch(path, 'an object (struct)', value);
    const fields = schema.fields ?? [];
    let declared = this.declared.get(schema);
    if (declared === undefined) {
      declared = new Set(fields.map((f) => f.field));
      this.declared.set(schema, declared);
    }
    for (const key in value) {
      if (Object.prototype.hasOwnProperty.call(value, key) && value[key] !== undefined && !declared.has(key)) {
        throw new Error(`${at(path)}: has field "${key}" that its schema does not declare`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const f of fields) define(out, f.field, this.write(own(value, f.field), f.schema, child(path, f.field)));
    return out;
  }
}

function writeInt(value: unknown, type: keyof typeof INT_RANGES, path: string): number {
  const [min, max] = INT_RANGES[type];
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw mismatch(path, `an integer (${type})`, value);
  if (n < min || n > max) throw new Error(`${at(path)}: ${n} is out of range for ${type}`);
  return n;
}

function writeInt64(value: unknown, path: string): number | bigint {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    // Unsafe integers are already rounded; writing them would pass the rounding on as if exact.
    if (Number.isInteger(value)) throw new Error(`${at(path)}: ${value} is beyond 2^53 and may have lost precision; use a bigint for int64 values this large`);
    throw mismatch(path, 'an integer (int64)', value);
  }
  if (typeof value === 'bigint') {
    if (value < INT64_MIN || value > INT64_MAX) throw new Error(`${at(path)}: ${value} is out of range for int64`);
    return value;
  }
  throw mismatch(path, 'an integer (int64)', value);
}

function epochMillis(value: unknown, path: string, what: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new Error(`${at(path)}: invalid Date for ${what}`);
    return ms;
  }
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new Error(`${at(path)}: "${value}" is not a date for ${what}`);
    return ms;
  }
  throw mismatch(path, `a Date, an ISO date string or a number for ${what}`, value);
}

function writeDate(value: unknown, path: string): number {
  if (typeof value === 'number') return writeInt(value, 'int32', path);
  const ms = epochMillis(value, path, 'Date');
  if (ms % MS_PER_DAY !== 0) throw new Error(`${at(path)}: a Date must fall on midnight UTC (Connect's Date has no time of day)`);
  return ms / MS_PER_DAY;
}

function writeTime(value: unknown, path: string): number {
  const ms = typeof value === 'number' ? value : value instanceof Date ? epochMillis(value, path, 'Time') : NaN;
  if (Number.isNaN(ms)) throw mismatch(path, 'a Date or milliseconds since midnight for Time', value);
  if (!Number.isInteger(ms) || ms < 0 || ms >= MS_PER_DAY) throw new Error(`${at(path)}: a Time must lie within 1970-01-01 UTC (0 to ${MS_PER_DAY - 1} ms)`);
  return ms;
}

function writeTimestamp(value: unknown, path: string): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return writeInt64(value, path);
  return epochMillis(value, path, 'Timestamp');
}

function objectKey(key: string, schema: Schema, path: string): unknown {
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      if (/^-?\d+$/.test(key)) return schema.type === 'int64' ? BigInt(key) : Number(key);
      break;
    case 'float32':
    case 'float64':
      if (key.trim() !== '' && Number.isFinite(Number(key))) return Number(key);
      break;
    case 'boolean':
      if (key === 'true' || key === 'false') return key === 'true';
      break;
    default:
      return key;
  }
  throw new Error(`${at(path)}: map key "${key}" is not a ${schema.type}`);
}

function requireSub(sub: Schema | undefined, what: string, path: string): Schema {
  if (sub === undefined) throw new Error(`${at(path)}: schema has no "${what}"`);
  return sub;
}

function mismatch(path: string, expected: string, got: unknown): Error {
  return new Error(`${at(path)}: expected ${expected}, got ${describe(got)}`);
}

/** `object[key]` if it is the object's own property: a field named `constructor` must not find Object's. */
function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** `target[key] = value`, but an own data property even for `__proto__`, which JSON allows as an ordinary key. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Reads a parsed JSON payload into JS record data, directed by the schema from the same envelope. */
export class ConnectDataReader {
  constructor(private readonly options: Pick<ConnectDataOptions, 'replaceNullWithDefault'>) {}

  read(node: unknown, schema: Schema, path = ''): unknown {
    if (node === null || node === undefined) {
      // Connect hands back the default itself; it is already in JS form (see connect-schema.ts).
      if (schema.default !== undefined && schema.default !== null && this.options.replaceNullWithDefault) return schema.default;
      if (schema.optional === true) return null;
      throw new Error(`${at(path)}: null for a required ${typeName(schema)}`);
    }
    switch (schema.name) {
      case DECIMAL:
        return readDecimal(node, schema, path);
      case DATE:
        return new Date(readInt(node, 'int32', path) * MS_PER_DAY);
      case TIME:
        return new Date(readInt(node, 'int32', path));
      case TIMESTAMP:
        return readTimestamp(node, path);
    }
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return readInt(node, schema.type, path);
      case 'int64':
        return readInt64(node, path);
      case 'float32':
      case 'float64':
        if (typeof node === 'number') return node;
        if (typeof node === 'bigint' || node instanceof JsonNumber) return Number(node.toString());
        throw mismatch(path, `a number (${schema.type})`, node);
      case 'boolean':
        if (typeof node === 'boolean') return node;
        throw mismatch(path, 'a boolean', node);
      case 'string':
        if (typeof node === 'string') return node;
        throw mismatch(path, 'a string', node);
      case 'bytes':
        return readBase64(node, path);
      case 'array': {
        if (!Array.isArray(node)) throw mismatch(path, 'an array', node);
        const items = requireSub(schema.items, 'items', path);
        return node.map((item, i) => this.read(item, items, `${path}[${i}]`));
      }
      case 'map':
        return this.readMap(node, schema, path);
      case 'struct':
        return this.readStruct(node, schema, path);
      default:
        throw new Error(`${at(path)}: unknown schema type "${String(schema.type)}"`);
    }
  }

  private readMap(node: unknown, schema: Schema, path: string): Record<string, unknown> | Map<unknown, unknown> {
    const keys = requireSub(schema.keys, 'keys', path);
    const values = requireSub(schema.values, 'values', path);
    if (keys.type === 'string') {
      if (!isPlainObject(node)) throw mismatch(path, 'an object (map with string keys)', node);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(node)) define(out, k, this.read(node[k], values, child(path, k)));
      return out;
    }
    if (!Array.isArray(node)) throw mismatch(path, 'an array of [key, value] pairs (map with non-string keys)', node);
    const out = new Map<unknown, unknown>();
    node.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`${at(path)}[${i}]: map entry must be a [key, value] pair`);
      out.set(this.read(pair[0], keys, `${path}[${i}][0]`), this.read(pair[1], values, `${path}[${i}][1]`));
    });
    return out;
  }

  private readStruct(node: unknown, schema: Schema, path: string): Record<string, unknown> {
    if (!isPlainObject(node)) throw mismatch(path, 'an object (struct)', node);
    const out: Record<string, unknown> = {};
    // Extra properties in the JSON are ignored, as Connect does; absent ones read as null.
    for (const f of schema.fields ?? []) define(out, f.field, this.read(own(node, f.field), f.schema, child(path, f.field)));
    return out;
  }
}

function readInt(node: unknown, type: keyof typeof INT_RANGES, path: string): number {
  const n = typeof node === 'bigint' ? Number(node) : node;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw mismatch(path, `an integer (${type})`, node);
  const [min, max] = INT_RANGES[type];
  if (n < min || n > max) throw new Error(`${at(path)}: ${n} is out of range for ${type}`);
  return n;
}

function readInt64(node: unknown, path: string): number | bigint {
  if (typeof node === 'number' && Number.isInteger(node)) return node;
  if (typeof node === 'bigint') {
    if (node < INT64_MIN || node > INT64_MAX) throw new Error(`${at(path)}: ${node} is out of range for int64`);
    return node;
  }
  throw mismatch(path, 'an integer (int64)', node);
}

function readTimestamp(node: unknown, path: string): Date {
  const ms = Number(readInt64(node, path));
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new Error(`${at(path)}: ${String(node)} ms is outside the range of a Date`);
  return date;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

function readBase64(node: unknown, path: string): Buffer {
  if (typeof node !== 'string') throw mismatch(path, 'a base64 string (bytes)', node);
  if (!BASE64.test(node)) throw new Error(`${at(path)}: not valid base64`);
  return Buffer.from(node, 'base64');
}

function readDecimal(node: unknown, schema: Schema, path: string): string {
  const scale = decimalScale(schema, path);
  try {
    if (typeof node === 'string') return formatDecimal(fromTwosComplement(readBase64(node, path)), scale);
    if (typeof node === 'number' || typeof node === 'bigint' || node instanceof JsonNumber) return normalizeDecimal(decimalText(node), scale);
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith(at(path)) ? message : `${at(path)}: ${message}`, { cause: err });
  }
  throw mismatch(path, 'base64 bytes or a number (Decimal)', node);
}
