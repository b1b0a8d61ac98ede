import avro from 'avsc';
import type { Type } from 'avsc';
import type { Schema } from '../sdk/schema.ts';
import type { AvroSchema } from './avro-from-connect.ts';
import { CONNECT_NAME, DATE_VALUED } from './avro-names.ts';
import { ConnectDataWriter } from './connect-data.ts';
import { decimalText, formatDecimal, fromTwosComplement, toTwosComplement, unscaled } from './decimal.ts';
import { DATE, MS_PER_DAY, TIME, TIMESTAMP } from './logical-types.ts';

/**
 * avsc types that read and write Tributary's JS representation of record data (see
 * logical-types.ts and connect-data.ts), so Avro data looks exactly like the same record read from
 * JSON:
 *
 * - long: a number, or a bigint beyond 2^53 (avsc's own long refuses those);
 * - decimal: a decimal string with exactly `scale` fraction digits; written from a string, number or
 *   bigint, refusing digits the scale or precision cannot hold;
 * - date, time-millis, timestamp-millis: a JS Date (also written from the encoded number or an ISO
 *   string), unless `connect.name` says the value is a Debezium number (io.debezium.time.Date ...);
 * - time-micros, timestamp-micros: the number of microseconds (JS Dates cannot hold them);
 * - records: plain objects, with no avsc methods; enums: the symbol string; bytes: Buffers.
 *
 * Invariant: the Avro schema text registered and written with the data is never changed here; only
 * the copy avsc parses loses the logical types whose values stay raw numbers.
 */
export function avroType(schema: AvroSchema): Type {
  return avro.Type.forSchema(forParsing(schema) as Parameters<typeof avro.Type.forSchema>[0], {
    logicalTypes: LOGICAL_TYPES,
    typeHook: longHook,
    omitRecordMethods: true,
  });
}

/**
 * Avro resolution (the schema-evolution rules) needs the types without any value conversion: Java's
 * resolution ignores logical types, and so must a compatibility check that claims to match it.
 */
export function plainAvroType(schema: AvroSchema): Type {
  return avro.Type.forSchema(schema as Parameters<typeof avro.Type.forSchema>[0]);
}

/** avsc's cursor over the bytes; not in its typings, stable since avsc 5. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  writeLong(n: number): void;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Avro long as a number when it is exact in a double, else a bigint. */
class BigLongType extends avro.types.LongType {
  _check(value: unknown, _flags: unknown, hook?: (value: unknown, type: Type) => void): boolean {
    const valid = typeof value === 'number' ? Number.isSafeInteger(value) : typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX;
    if (!valid && hook !== undefined) hook(value, this);
    return valid;
  }

  _read(tap: Tap): number | bigint {
    const start = tap.pos;
    const n = tap.readLong();
    // avsc's varint arithmetic is exact while the zig-zag value (2|n| or 2|n| - 1) fits 2^53, that is
    // below 2^52; beyond it rounds silently (even within 2^53), so those values are read again exactly.
    if (n < FAST_LONG_LIMIT && n > -FAST_LONG_LIMIT) return n;
    tap.pos = start;
    return readBigLong(tap);
  }

  _write(tap: Tap, value: unknown): void {
    if (typeof value === 'number' && value < FAST_LONG_LIMIT && value > -FAST_LONG_LIMIT && Number.isInteger(value)) {
      tap.writeLong(value);
      return;
    }
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      writeBigLong(tap, BigInt(value));
      return;
    }
    if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
      throw new Error(`${typeof value === 'number' ? `${value} (beyond 2^53, may have lost precision; use a bigint)` : describe(value)} is not a valid long`);
    }
    if (value < BigInt(FAST_LONG_LIMIT) && value > -BigInt(FAST_LONG_LIMIT)) {
      tap.writeLong(Number(value));
      return;
    }
    writeBigLong(tap, value);
  }
}

/** Below this magnitude avsc's own long arithmetic is exact (see BigLongType._read). */
const FAST_LONG_LIMIT = 2 ** 52;

/**
 * Zig-zag, then base-128 little-endian varint. Bytes past the buffer's end are dropped: avsc sees
 * the position beyond it and encodes again into a larger buffer.
 */
function writeBigLong(tap: Tap, value: bigint): void {
  let zigzag = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  const buf = tap.buf;
  do {
    let byte = Number(zigzag & 0x7fn);
    zigzag >>= 7n;
    if (zigzag !== 0n) byte |= 0x80;
    if (tap.pos < buf.length) buf[tap.pos] = byte;
    tap.pos++;
  } while (zigzag !== 0n);
}

// avsc dispatches unwrapped unions on the JS type of the value; a bigint fits no bucket. Types named
// `abstract:*` are instead asked whether they accept the value (as avsc's own custom longs are), and
// resolution already treats `abstract:long` as a long. The schema it exports stays plain "long".
Object.defineProperty(BigLongType.prototype, 'typeName', { value: 'abstract:long' });
Object.defineProperty(BigLongType.prototype, '_deref', { value: () => 'long' });
Object.defineProperty(BigLongType.prototype, '_concreteTypeName', { value: 'long' });

function readBigLong(tap: Tap): number | bigint {
  const buf = tap.buf;
  let zigzag = 0n;
  let shift = 0n;
  let byte: number;
  do {
    byte = buf[tap.pos++] ?? 0;
    zigzag |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
  } while (byte & 0x80 && shift < 70n);
  const value = BigInt.asIntN(64, (zigzag >> 1n) ^ -(zigzag & 1n));
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

const BIG_LONG = new BigLongType();

type LogicalTypeArgs = ConstructorParameters<typeof avro.types.LogicalType>;

/** decimal on bytes or fixed ⇄ decimal text. */
class DecimalType extends avro.types.LogicalType {
  readonly precision: number;
  readonly scale: number;
  private readonly limit: bigint;
  private readonly size: number | undefined;

  constructor(...[schema, opts]: LogicalTypeArgs) {
    super(schema, opts);
    const attrs = schema as Record<string, unknown>;
    const precision = attrs.precision;
    const scale = attrs.scale ?? 0;
    if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) throw new Error(`decimal precision must be a positive integer, got ${String(precision)}`);
    if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) throw new Error(`decimal scale must be an integer from 0 to the precision, got ${String(scale)}`);
    this.precision = precision;
    this.scale = scale;
    this.limit = 10n ** BigInt(precision);
    const underlying = this.underlyingType;
    if (underlying.typeName === 'fixed') this.size = (underlying as avro.types.FixedType).size;
    else if (underlying.typeName !== 'bytes') throw new Error(`decimal needs bytes or fixed, not ${underlying.typeName}`);
  }

  protected override _fromValue(bytes: Buffer): string {
    // Up to 6 bytes the unscaled value is exact in a double, and Buffer reads it directly.
    if (bytes.length > 0 && bytes.length <= 6) return formatSmallDecimal(bytes.readIntBE(0, bytes.length), this.scale);
    return formatDecimal(fromTwosComplement(bytes), this.scale);
  }

  /**
   * avsc converts a value twice when the decimal is a branch of a union (once to pick the branch,
   * once to write it); the last conversion is kept so the second is free.
   */
  private lastValue: unknown;
  private lastBytes: Buffer | undefined;

  protected override _toValue(value: unknown): Buffer | undefined {
    // avsc asks every union branch whether it takes a null: answering without throwing matters,
    // as an exception per nullable decimal column costs more than the rest of the record.
    if (value === null || value === undefined) return undefined;
    if (value === this.lastValue && this.lastBytes !== undefined && typeof value === 'string') return this.lastBytes;
    const bytes = this.size === undefined ? this.unscaledBytes(value) : this.fixedBytes(value);
    this.lastValue = value;
    this.lastBytes = bytes;
    return bytes;
  }

  private unscaledBytes(value: unknown): Buffer {
    const small = typeof value === 'string' ? smallUnscaled(value, this.scale) : undefined;
    if (small !== undefined) {
      if (Math.abs(small) >= 10 ** this.precision) throw new Error(`"${value as string}" has more digits than decimal(${this.precision}, ${this.scale}) holds`);
      return smallTwosComplement(small);
    }
    const text = decimalText(value);
    const n = unscaled(text, this.scale);
    if ((n < 0n ? -n : n) >= this.limit) throw new Error(`"${text}" has more digits than decimal(${this.precision}, ${this.scale}) holds`);
    return toTwosComplement(n);
  }

  private fixedBytes(value: unknown): Buffer {
    const size = this.size as number;
    const bytes = this.unscaledBytes(value);
    if (bytes.length > size) throw new Error(`"${decimalText(value)}" does not fit a ${size}-byte fixed decimal`);
    const out = Buffer.alloc(size, (bytes[0] ?? 0) & 0x80 ? 0xff : 0);
    bytes.copy(out, size - bytes.length);
    return out;
  }

  protected override _resolve(type: Type): ((value: unknown) => unknown) | undefined {
    if (type instanceof DecimalType) {
      if (type.scale === this.scale) return (value) => value;
      return (value) => formatDecimal(unscaled(value as string, this.scale), this.scale);
    }
    if (avro.Type.isType(type, 'bytes', 'fixed')) return (value) => this._fromValue(value as Buffer);
    return undefined;
  }

  protected override _export(attrs: LogicalTypeArgs[0]): void {
    Object.assign(attrs as object, { precision: this.precision, scale: this.scale });
  }
}

/** Plain decimal text with at most 15 digits in all, e.g. "-12.3": the common case, done without bigint. */
const SMALL_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** The unscaled value of short decimal text at `scale`, or undefined when the exact path must decide. */
function smallUnscaled(text: string, scale: number): number | undefined {
  const m = SMALL_DECIMAL.exec(text);
  if (m === null) return undefined;
  const fraction = m[3] ?? '';
  const digits = (m[2] as string) + fraction;
  if (fraction.length > scale || digits.length + scale - fraction.length > 15) return undefined;
  const n = Number(digits) * 10 ** (scale - fraction.length);
  return m[1] === '-' ? -n : n;
}

/** Java's BigInteger.toByteArray() for a safe integer: minimal big-endian two's complement. */
function smallTwosComplement(n: number): Buffer {
  // A negative n is the bitwise complement of -n - 1, which is small, non-negative and exact.
  const magnitude = n < 0 ? -n - 1 : n;
  let length = 1;
  while (magnitude >= 2 ** (8 * length - 1)) length++;
  const out = Buffer.allocUnsafe(length);
  let rest = magnitude;
  for (let i = length - 1; i >= 0; i--) {
    const byte = rest % 256;
    out[i] = n < 0 ? 255 - byte : byte;
    rest = Math.floor(rest / 256);
  }
  return out;
}

/** `unscaled × 10^-scale` as text with exactly `scale` fraction digits, for a safe integer. */
function formatSmallDecimal(unscaledValue: number, scale: number): string {
  if (scale === 0) return String(unscaledValue);
  const negative = unscaledValue < 0;
  const digits = String(negative ? -unscaledValue : unscaledValue).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * A Connect Date, Time or Timestamp: a JS Date in, the encoded number on the wire. Writing goes
 * through the JSON serde's writer so both formats accept (and refuse) the same values.
 */
abstract class DateValuedType extends avro.types.LogicalType {
  protected abstract readonly connect: Schema;
  protected abstract readonly msPerUnit: number;
  private readonly writer = new ConnectDataWriter({ decimalFormat: 'base64', replaceNullWithDefault: false });

  protected override _fromValue(encoded: number): Date {
    return new Date(encoded * this.msPerUnit);
  }

  protected override _toValue(value: unknown): number | undefined {
    if (value === null || value === undefined) return undefined;
    // A valid Date is the common case; anything else (numbers, ISO text, invalid values) goes
    // through the JSON serde's writer, which also explains refusals.
    if (value instanceof Date) {
      const encoded = value.getTime() / this.msPerUnit;
      if (Number.isInteger(encoded) && this.accepts(encoded)) return encoded;
    }
    return Number(this.writer.write(value, this.connect));
  }

  /** Whether an encoded value is in this type's range (the writer path says why when not). */
  protected abstract accepts(encoded: number): boolean;

  protected override _resolve(type: Type): ((value: unknown) => unknown) | undefined {
    if (type.typeName === this.typeName) return (value) => value;
    if (avro.Type.isType(type, this.underlyingType.typeName)) return (value) => this._fromValue(value as number);
    return undefined;
  }
}

class DateType extends DateValuedType {
  protected readonly connect: Schema = { type: 'int32', name: DATE };
  protected readonly msPerUnit = MS_PER_DAY;
  protected accepts(days: number): boolean {
    return days >= -2147483648 && days <= 2147483647;
  }
}

class TimeMillisType extends DateValuedType {
  protected readonly connect: Schema = { type: 'int32', name: TIME };
  protected readonly msPerUnit = 1;
  protected accepts(ms: number): boolean {
    return ms >= 0 && ms < MS_PER_DAY;
  }
}

class TimestampMillisType extends DateValuedType {
  protected readonly connect: Schema = { type: 'int64', name: TIMESTAMP };
  protected readonly msPerUnit = 1;
  protected accepts(ms: number): boolean {
    return Number.isSafeInteger(ms);
  }
}

const LOGICAL_TYPES: Record<string, new (...args: LogicalTypeArgs) => avro.types.LogicalType> = {
  decimal: DecimalType,
  date: DateType,
  'time-millis': TimeMillisType,
  'timestamp-millis': TimestampMillisType,
};

const DATE_LOGICAL = new Set(['date', 'time-millis', 'timestamp-millis']);
const RAW_LOGICAL = new Set(['time-micros', 'timestamp-micros']);

/** Every long that is not converted by one of our logical types is a {@link BigLongType}. */
function longHook(schema: unknown): Type | undefined {
  if (schema === 'long') return BIG_LONG;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const node = schema as Record<string, unknown>;
  if (node.type !== 'long') return undefined;
  return typeof node.logicalType === 'string' && node.logicalType in LOGICAL_TYPES ? undefined : BIG_LONG;
}

/** A copy without the logical types whose values stay numbers (see {@link avroType}). */
function forParsing(schema: AvroSchema): AvroSchema {
  if (Array.isArray(schema)) return schema.map(forParsing);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type' || k === 'items' || k === 'values') out[k] = forParsing(v as AvroSchema);
    else if (k === 'fields' && Array.isArray(v)) out[k] = v.map((f: Record<string, unknown>) => ({ ...f, type: forParsing(f.type as AvroSchema) }));
    else out[k] = v;
  }
  const logical = out.logicalType;
  const connectName = out[CONNECT_NAME];
  if (typeof logical === 'string' && (RAW_LOGICAL.has(logical) || (DATE_LOGICAL.has(logical) && typeof connectName === 'string' && !DATE_VALUED.has(connectName)))) {
    delete out.logicalType;
  }
  return out;
}

/** What the value is, for error messages (never the value itself: it may be personal data). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Date) return 'a Date';
  const t = typeof value;
  return t === 'object' ? 'an object' : `a ${t}`;
}
