/**
 * Zig-zag varints as used inside Kafka record batch v2 records (protobuf encoding). Reads return the
 * value and the position after it so callers can walk a record without allocating a cursor object.
 */

import { CORRUPT_MESSAGE, LogError } from './errors.ts';

export interface Read<T> {
  value: T;
  next: number;
}

/** Reads a zig-zag varint of at most 5 bytes (int32). */
export function readVarint(buf: Buffer, pos: number, end: number): Read<number> {
  let raw = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    if (pos >= end) throw new LogError(CORRUPT_MESSAGE, 'reading varint: ran past the end of the record');
    const b = buf[pos++] as number;
    raw |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value: (raw >>> 1) ^ -(raw & 1), next: pos };
    shift += 7;
  }
  throw new LogError(CORRUPT_MESSAGE, 'reading varint: more than 5 bytes');
}

/** Reads a zig-zag varlong of at most 10 bytes (int64). */
export function readVarlong(buf: Buffer, pos: number, end: number): Read<bigint> {
  let raw = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new LogError(CORRUPT_MESSAGE, 'reading varlong: ran past the end of the record');
    const b = buf[pos++] as number;
    raw |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value: (raw >> 1n) ^ -(raw & 1n), next: pos };
    shift += 7n;
  }
  throw new LogError(CORRUPT_MESSAGE, 'reading varlong: more than 10 bytes');
}

export function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}

export function sizeOfVarlong(value: bigint): number {
  let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}

/** Writes a zig-zag varint at `pos`, returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

export function writeVarlong(buf: Buffer, pos: number, value: bigint): number {
  let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  while (v >= 0x80n) {
    buf[pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[pos++] = Number(v);
  return pos;
}
