import { createRequire } from 'node:module';

/**
 * A faster drop-in for kafkajs 2.2.4's record encoder (`protocol/recordBatch/record/v0`), the
 * function its Produce request (v3, and v4-v7 which reuse it) calls once per record.
 *
 * kafkajs builds every record from a fresh zero-filled 512-byte `Encoder`, one more per header,
 * and a `Buffer.from([...])` per varint, then copies each into the batch: for records of a few
 * hundred bytes with a few headers that was most of a transactional source's CPU time. This one
 * computes the record's size first and writes it into one buffer of exactly that size.
 *
 * The output is byte for byte what kafkajs writes (test/kafka/kafkajs-record-encoder.test.ts checks
 * it against kafkajs's own function). Anything outside the shapes the adapter produces (keys,
 * values and header values that are not strings or Buffers, timestamp deltas that are not integers
 * below 2^52)
 * goes to kafkajs's own function, so its behaviour, errors included, is unchanged there.
 */

export interface KafkajsRecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: unknown;
  value?: unknown;
  headers?: Record<string, unknown> | null;
}

/** What kafkajs's batch encoder reads from an encoded record (`writeEncoderArray`: `buf`, `buffer`). */
export interface EncodedRecord {
  readonly buf: Buffer;
  readonly offset: number;
  readonly buffer: Buffer;
  size(): number;
}

export type KafkajsRecordEncoder = (record: KafkajsRecordInput) => EncodedRecord;

class ExactRecord implements EncodedRecord {
  readonly offset: number;
  constructor(readonly buf: Buffer) {
    this.offset = buf.length;
  }

  get buffer(): Buffer {
    return this.buf;
  }

  size(): number {
    return this.offset;
  }
}

/** kafkajs's `Encoder.encodeZigZag` (32-bit), then the unsigned varint size. */
function sizeOfVarInt(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (v >= 0x80) {
    bytes++;
    v >>>= 7;
  }
  return bytes;
}

function writeVarInt(buf: Buffer, at: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

/** Past this the zigzag value (2|v|) is no longer exact in a double; such deltas go to kafkajs. */
const MAX_FAST_TIMESTAMP_DELTA = 2 ** 52 - 1;

/** Zigzag of an integer within ±MAX_FAST_TIMESTAMP_DELTA as a 64-bit varint (exact: below 2^53). */
function zigZag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function sizeOfVarLong(value: number): number {
  let z = zigZag64(value);
  let bytes = 1;
  while (z >= 0x80) {
    bytes++;
    z = Math.floor(z / 0x80);
  }
  return bytes;
}

function writeVarLong(buf: Buffer, at: number, value: number): number {
  let z = zigZag64(value);
  while (z >= 0x80) {
    buf[at++] = (z % 0x80) | 0x80;
    z = Math.floor(z / 0x80);
  }
  buf[at++] = z;
  return at;
}

/** Strings up to this long are measured and written a character at a time when they are ASCII. */
const SHORT_STRING = 64;

/** UTF-8 length; short ASCII strings (header names and values, keys) without a native call. */
function utf8Length(s: string): number {
  if (s.length > SHORT_STRING) return Buffer.byteLength(s, 'utf8');
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/** Writes `s`, whose UTF-8 length is `length`, at `at`. */
function writeUtf8(buf: Buffer, at: number, s: string, length: number): void {
  if (length === s.length && length <= SHORT_STRING) {
    for (let i = 0; i < length; i++) buf[at + i] = s.charCodeAt(i);
  } else {
    buf.write(s, at, length, 'utf8');
  }
}

/** Byte length of a key, value or header value as kafkajs writes it; -1 for null; undefined: not ours to encode. */
function bytesLength(v: unknown): number | undefined {
  if (v === null || v === undefined) return -1;
  if (typeof v === 'string') return utf8Length(v);
  if (Buffer.isBuffer(v)) return v.length;
  return undefined;
}

function sizeOfBytes(length: number): number {
  return length < 0 ? 1 : sizeOfVarInt(length) + length;
}

function writeBytes(buf: Buffer, at: number, v: unknown, length: number): number {
  if (length < 0) return writeVarInt(buf, at, -1);
  at = writeVarInt(buf, at, length);
  if (typeof v === 'string') writeUtf8(buf, at, v, length);
  else buf.set(v as Buffer, at);
  return at + length;
}

/** Wraps kafkajs's record encoder: the fast path for the shapes it can prove identical, `original` otherwise. */
export function exactRecordEncoder(original: KafkajsRecordEncoder): KafkajsRecordEncoder {
  const headerKeys: string[] = [];
  const headerValues: unknown[] = [];
  const headerLengths: number[] = [];
  const headerKeyLengths: number[] = [];
  return (record) => {
    const { offsetDelta = 0, timestampDelta = 0, key, value, headers = {} } = record;
    if (!Number.isInteger(timestampDelta) || Math.abs(timestampDelta) > MAX_FAST_TIMESTAMP_DELTA || !Number.isInteger(offsetDelta) || offsetDelta < 0 || offsetDelta >= 2 ** 30 || headers === null || typeof headers !== 'object') return original(record);
    const keyLength = bytesLength(key);
    const valueLength = bytesLength(value);
    if (keyLength === undefined || valueLength === undefined) return original(record);
    // kafkajs's header list: each key in enumeration order, an array key once per element.
    let count = 0;
    let headersSize = 0;
    for (const name of Object.keys(headers)) {
      const entry = headers[name];
      const values = Array.isArray(entry) ? (entry as unknown[]) : [entry];
      const nameLength = utf8Length(name);
      for (const v of values) {
        // kafkajs measures every header value with Buffer.byteLength, so null or anything else throws there.
        const length = v === null || v === undefined ? undefined : bytesLength(v);
        if (length === undefined) return original(record);
        headerKeys[count] = name;
        headerKeyLengths[count] = nameLength;
        headerValues[count] = v;
        headerLengths[count] = length;
        headersSize += sizeOfVarInt(nameLength) + nameLength + sizeOfVarInt(length) + length;
        count++;
      }
    }
    const body = 1 + sizeOfVarLong(timestampDelta) + sizeOfVarInt(offsetDelta) + sizeOfBytes(keyLength) + sizeOfBytes(valueLength) + sizeOfVarInt(count) + headersSize;
    const buf = Buffer.allocUnsafe(sizeOfVarInt(body) + body);
    let at = writeVarInt(buf, 0, body);
    buf[at++] = 0; // attributes
    at = writeVarLong(buf, at, timestampDelta);
    at = writeVarInt(buf, at, offsetDelta);
    at = writeBytes(buf, at, key, keyLength);
    at = writeBytes(buf, at, value, valueLength);
    at = writeVarInt(buf, at, count);
    for (let i = 0; i < count; i++) {
      const nameLength = headerKeyLengths[i] as number;
      at = writeVarInt(buf, at, nameLength);
      writeUtf8(buf, at, headerKeys[i] as string, nameLength);
      at += nameLength;
      at = writeBytes(buf, at, headerValues[i], headerLengths[i] as number);
    }
    headerValues.fill(undefined, 0, count);
    if (at !== buf.length) throw new Error(`encoding a record: wrote ${at} of ${buf.length} bytes`);
    return new ExactRecord(buf);
  };
}

const KAFKAJS_VERSION = '2.2.4';
const RECORD_MODULE = 'kafkajs/src/protocol/recordBatch/record/v0/index.js';

let installed: { original: KafkajsRecordEncoder; exact: KafkajsRecordEncoder } | undefined;

/**
 * Puts the exact encoder in place of kafkajs's, before kafkajs's Produce request module first
 * loads (it is required lazily, on the first produce). Only for the kafkajs version it was written
 * against; with any other the client keeps its own encoder. Returns both, for tests.
 */
export function installExactRecordEncoder(): { original: KafkajsRecordEncoder; exact: KafkajsRecordEncoder } | undefined {
  if (installed !== undefined) return installed;
  try {
    const require = createRequire(import.meta.url);
    const { version } = require('kafkajs/package.json') as { version: string };
    if (version !== KAFKAJS_VERSION) return undefined;
    const path = require.resolve(RECORD_MODULE);
    const original = require(path) as KafkajsRecordEncoder;
    const cached = require.cache[path];
    if (typeof original !== 'function' || cached === undefined) return undefined;
    const exact = exactRecordEncoder(original);
    cached.exports = exact;
    installed = { original, exact };
    return installed;
  } catch {
    return undefined;
  }
}
