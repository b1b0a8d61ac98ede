/**
 * Kafka record batch v2 (magic 2), the unit the log stores, replicates and serves:
 *
 * RecordBatch => baseOffset:int64 batchLength:int32 partitionLeaderEpoch:int32 magic:int8 crc:uint32
 *                attributes:int16 lastOffsetDelta:int32 baseTimestamp:int64 maxTimestamp:int64
 *                producerId:int64 producerEpoch:int16 baseSequence:int32 records:[Record]
 * Record => length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint
 *           key:varint-bytes value:varint-bytes headers:[key:varint-string value:varint-bytes]
 *
 * Invariants: the CRC covers bytes [21, end) (attributes onwards), so baseOffset, batchLength and
 * partitionLeaderEpoch can be rewritten in place without recomputing it. `batchLength` counts the
 * bytes after the length field, so a batch occupies 12 + batchLength bytes.
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import { crc32c } from './crc32c.ts';
import { CORRUPT_MESSAGE, LogError, UNSUPPORTED_COMPRESSION_TYPE, UNSUPPORTED_FOR_MESSAGE_FORMAT } from './errors.ts';
import { readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.ts';

// Byte positions of the header fields.
export const BASE_OFFSET_POS = 0;
export const LENGTH_POS = 8;
export const LEADER_EPOCH_POS = 12;
export const MAGIC_POS = 16;
export const CRC_POS = 17;
export const ATTRIBUTES_POS = 21;
export const LAST_OFFSET_DELTA_POS = 23;
export const BASE_TIMESTAMP_POS = 27;
export const MAX_TIMESTAMP_POS = 35;
export const PRODUCER_ID_POS = 43;
export const PRODUCER_EPOCH_POS = 51;
export const BASE_SEQUENCE_POS = 53;
export const RECORD_COUNT_POS = 57;
export const RECORDS_POS = 61;
/** Bytes before batchLength's coverage starts (baseOffset + batchLength). */
export const LOG_OVERHEAD = 12;
export const HEADER_SIZE = RECORDS_POS;
export const MAGIC_V2 = 2;

export const COMPRESSION_NONE = 0;
export const COMPRESSION_GZIP = 1;
export const COMPRESSION_SNAPPY = 2;
export const COMPRESSION_LZ4 = 3;
export const COMPRESSION_ZSTD = 4;

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_MASK = 0x08;
const TRANSACTIONAL_MASK = 0x10;
const CONTROL_MASK = 0x20;

/** Upper bound on a batch's inflated records; a larger expansion is treated as corrupt (zip bomb). */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;

export interface BatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  /** 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
  compression: number;
  /** 0 CreateTime, 1 LogAppendTime. */
  timestampType: 0 | 1;
  isTransactional: boolean;
  isControl: boolean;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  /** 12 + batchLength: the bytes this batch occupies in a log or a records blob. */
  sizeInBytes: number;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface NewRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  timestamp: bigint;
}

/**
 * Parses the fixed 61-byte header at `pos`. Throws {@link LogError} CORRUPT_MESSAGE when fewer bytes
 * remain than the header (or than batchLength claims), UNSUPPORTED_FOR_MESSAGE_FORMAT when magic != 2.
 */
export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  const header = readBatchHeaderOnly(buf, pos);
  if (buf.length - pos < header.sizeInBytes) {
    throw new LogError(CORRUPT_MESSAGE, `reading batch header: batch claims ${header.sizeInBytes} bytes, ${buf.length - pos} remain`);
  }
  return header;
}

/**
 * Like {@link readBatchHeader} but needs only the 61 header bytes to be present, for scanning a file
 * without reading whole batches. The caller checks that `sizeInBytes` fits what it has.
 */
export function readBatchHeaderOnly(buf: Buffer, pos = 0): BatchHeader {
  if (buf.length - pos < LOG_OVERHEAD + 5) {
    throw new LogError(CORRUPT_MESSAGE, `reading batch header: ${buf.length - pos} bytes is shorter than a batch header`);
  }
  const magic = buf.readInt8(pos + MAGIC_POS);
  if (magic !== MAGIC_V2) {
    throw new LogError(UNSUPPORTED_FOR_MESSAGE_FORMAT, `reading batch header: magic ${magic} is not supported (only record batch v2)`);
  }
  if (buf.length - pos < HEADER_SIZE) {
    throw new LogError(CORRUPT_MESSAGE, `reading batch header: ${buf.length - pos} bytes is shorter than a v2 batch header`);
  }
  const batchLength = buf.readInt32BE(pos + LENGTH_POS);
  if (batchLength < HEADER_SIZE - LOG_OVERHEAD) {
    throw new LogError(CORRUPT_MESSAGE, `reading batch header: batchLength ${batchLength} is below the v2 minimum ${HEADER_SIZE - LOG_OVERHEAD}`);
  }
  const attributes = buf.readInt16BE(pos + ATTRIBUTES_POS);
  return {
    baseOffset: buf.readBigInt64BE(pos + BASE_OFFSET_POS),
    batchLength,
    partitionLeaderEpoch: buf.readInt32BE(pos + LEADER_EPOCH_POS),
    magic,
    crc: buf.readUInt32BE(pos + CRC_POS),
    attributes,
    compression: attributes & COMPRESSION_MASK,
    timestampType: attributes & TIMESTAMP_TYPE_MASK ? 1 : 0,
    isTransactional: (attributes & TRANSACTIONAL_MASK) !== 0,
    isControl: (attributes & CONTROL_MASK) !== 0,
    lastOffsetDelta: buf.readInt32BE(pos + LAST_OFFSET_DELTA_POS),
    baseTimestamp: buf.readBigInt64BE(pos + BASE_TIMESTAMP_POS),
    maxTimestamp: buf.readBigInt64BE(pos + MAX_TIMESTAMP_POS),
    producerId: buf.readBigInt64BE(pos + PRODUCER_ID_POS),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH_POS),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE_POS),
    recordCount: buf.readInt32BE(pos + RECORD_COUNT_POS),
    sizeInBytes: LOG_OVERHEAD + batchLength,
  };
}

/**
 * Splits a records blob (a produce request's partition data) into its batches, as views over the same
 * memory. A trailing fragment shorter than its declared length throws CORRUPT_MESSAGE.
 */
export function splitBatches(records: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < LOG_OVERHEAD) {
      throw new LogError(CORRUPT_MESSAGE, `splitting batches: ${records.length - pos} trailing bytes at ${pos} are not a batch`);
    }
    const batchLength = records.readInt32BE(pos + LENGTH_POS);
    if (batchLength < 0 || records.length - pos < LOG_OVERHEAD + batchLength) {
      throw new LogError(CORRUPT_MESSAGE, `splitting batches: batch at ${pos} claims ${batchLength} bytes, ${records.length - pos - LOG_OVERHEAD} remain`);
    }
    out.push(records.subarray(pos, pos + LOG_OVERHEAD + batchLength));
    pos += LOG_OVERHEAD + batchLength;
  }
  return out;
}

/** True when the stored CRC matches CRC-32C of attributes..end. `batch` must be exactly one batch. */
export function verifyBatchCrc(batch: Buffer): boolean {
  if (batch.length < HEADER_SIZE) return false;
  return batch.readUInt32BE(CRC_POS) === crc32c(batch, ATTRIBUTES_POS, batch.length);
}

/** Rewrites baseOffset in place; the CRC does not cover it. */
export function setBaseOffset(batch: Buffer, baseOffset: bigint): void {
  batch.writeBigInt64BE(baseOffset, BASE_OFFSET_POS);
}

/** Rewrites partitionLeaderEpoch in place; the CRC does not cover it. */
export function setPartitionLeaderEpoch(batch: Buffer, epoch: number): void {
  batch.writeInt32BE(epoch, LEADER_EPOCH_POS);
}

/**
 * Sets LogAppendTime: timestampType bit and maxTimestamp, then recomputes the CRC (both are covered).
 * Used when a topic has message.timestamp.type=LogAppendTime.
 */
export function setLogAppendTime(batch: Buffer, timestamp: bigint): void {
  const attributes = batch.readInt16BE(ATTRIBUTES_POS) | TIMESTAMP_TYPE_MASK;
  batch.writeInt16BE(attributes, ATTRIBUTES_POS);
  batch.writeBigInt64BE(timestamp, MAX_TIMESTAMP_POS);
  batch.writeUInt32BE(crc32c(batch, ATTRIBUTES_POS, batch.length), CRC_POS);
}

// ---------------------------------------------------------------------------------------------------
// Encoding

export interface EncodeBatchOptions {
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  timestampType?: 0 | 1;
  /** 0 none or 1 gzip; other codecs have no encoder here. */
  compression?: number;
}

/** A record with its position fixed relative to the batch; used to rewrite batches (compaction). */
export interface PlacedRecord {
  offsetDelta: number;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

function sizeOfBytes(b: Buffer | null): number {
  return b === null ? sizeOfVarint(-1) : sizeOfVarint(b.length) + b.length;
}

function writeBytes(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, b.length);
  b.copy(buf, pos);
  return pos + b.length;
}

function encodeRecords(records: PlacedRecord[], baseTimestamp: bigint): Buffer {
  const bodies: Array<{ size: number; tsDelta: bigint; headerKeys: Buffer[] }> = [];
  let total = 0;
  for (const r of records) {
    const tsDelta = r.timestamp - baseTimestamp;
    const headerKeys = r.headers.map((h) => Buffer.from(h.key, 'utf8'));
    let size = 1 + sizeOfVarlong(tsDelta) + sizeOfVarint(r.offsetDelta) + sizeOfBytes(r.key) + sizeOfBytes(r.value);
    size += sizeOfVarint(r.headers.length);
    r.headers.forEach((h, i) => {
      size += sizeOfBytes(headerKeys[i] as Buffer) + sizeOfBytes(h.value);
    });
    bodies.push({ size, tsDelta, headerKeys });
    total += sizeOfVarint(size) + size;
  }
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  records.forEach((r, i) => {
    const b = bodies[i] as (typeof bodies)[number];
    pos = writeVarint(out, pos, b.size);
    out[pos++] = 0;
    pos = writeVarlong(out, pos, b.tsDelta);
    pos = writeVarint(out, pos, r.offsetDelta);
    pos = writeBytes(out, pos, r.key);
    pos = writeBytes(out, pos, r.value);
    pos = writeVarint(out, pos, r.headers.length);
    r.headers.forEach((h, j) => {
      pos = writeBytes(out, pos, b.headerKeys[j] as Buffer);
      pos = writeBytes(out, pos, h.value);
    });
  });
  return out;
}

/**
 * Encodes a batch from placed records. `lastOffsetDelta` defaults to the last record's delta; pass it
 * explicitly to keep a rewritten batch's offset span (compaction keeps the original last offset so
 * producer sequence bookkeeping still lines up).
 */
export function encodeBatch(records: PlacedRecord[], o: EncodeBatchOptions & { lastOffsetDelta?: number; baseTimestamp?: bigint; maxTimestamp?: bigint } = {}): Buffer {
  const compression = o.compression ?? COMPRESSION_NONE;
  if (compression !== COMPRESSION_NONE && compression !== COMPRESSION_GZIP) {
    throw new LogError(UNSUPPORTED_COMPRESSION_TYPE, `encoding batch: compression codec ${compression} has no encoder`);
  }
  let baseTimestamp = o.baseTimestamp;
  let maxTimestamp = o.maxTimestamp;
  if (maxTimestamp === undefined) {
    let max: bigint | undefined;
    for (const r of records) if (max === undefined || r.timestamp > max) max = r.timestamp;
    maxTimestamp = max ?? -1n;
  }
  // Kafka uses the first record's timestamp as base; deltas may be negative.
  baseTimestamp ??= records[0]?.timestamp ?? -1n;
  let body = encodeRecords(records, baseTimestamp);
  if (compression === COMPRESSION_GZIP) body = gzipSync(body);
  const lastOffsetDelta = o.lastOffsetDelta ?? records[records.length - 1]?.offsetDelta ?? 0;
  const attributes =
    (compression & COMPRESSION_MASK) |
    ((o.timestampType ?? 0) === 1 ? TIMESTAMP_TYPE_MASK : 0) |
    (o.transactional ? TRANSACTIONAL_MASK : 0) |
    (o.control ? CONTROL_MASK : 0);
  const buf = Buffer.allocUnsafe(HEADER_SIZE + body.length);
  buf.writeBigInt64BE(o.baseOffset ?? 0n, BASE_OFFSET_POS);
  buf.writeInt32BE(buf.length - LOG_OVERHEAD, LENGTH_POS);
  buf.writeInt32BE(o.partitionLeaderEpoch ?? -1, LEADER_EPOCH_POS);
  buf.writeInt8(MAGIC_V2, MAGIC_POS);
  buf.writeInt16BE(attributes, ATTRIBUTES_POS);
  buf.writeInt32BE(lastOffsetDelta, LAST_OFFSET_DELTA_POS);
  buf.writeBigInt64BE(baseTimestamp, BASE_TIMESTAMP_POS);
  buf.writeBigInt64BE(maxTimestamp, MAX_TIMESTAMP_POS);
  buf.writeBigInt64BE(o.producerId ?? NO_PRODUCER_ID, PRODUCER_ID_POS);
  buf.writeInt16BE(o.producerEpoch ?? NO_PRODUCER_EPOCH, PRODUCER_EPOCH_POS);
  buf.writeInt32BE(o.baseSequence ?? NO_SEQUENCE, BASE_SEQUENCE_POS);
  buf.writeInt32BE(records.length, RECORD_COUNT_POS);
  body.copy(buf, RECORDS_POS);
  buf.writeUInt32BE(crc32c(buf, ATTRIBUTES_POS, buf.length), CRC_POS);
  return buf;
}

/** Builds an uncompressed (or gzip) batch with consecutive offset deltas; for internal topics and tests. */
export function buildRecordBatch(
  records: NewRecord[],
  o: { baseOffset?: bigint; producerId?: bigint; producerEpoch?: number; baseSequence?: number; transactional?: boolean; compression?: number } = {},
): Buffer {
  const placed = records.map((r, i) => ({ offsetDelta: i, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers ?? [] }));
  return encodeBatch(placed, o);
}

export type ControlType = 'abort' | 'commit';
const CONTROL_TYPE_ABORT = 0;
const CONTROL_TYPE_COMMIT = 1;

/**
 * Builds a transaction marker: one control record, key = version:int16(0) type:int16 (0 abort,
 * 1 commit), value = version:int16(0) coordinatorEpoch:int32. baseOffset 0 until appended.
 */
export function buildControlBatch(o: { producerId: bigint; producerEpoch: number; commit: boolean; coordinatorEpoch: number; timestamp: bigint }): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(o.commit ? CONTROL_TYPE_COMMIT : CONTROL_TYPE_ABORT, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(o.coordinatorEpoch, 2);
  return encodeBatch([{ offsetDelta: 0, timestamp: o.timestamp, key, value, headers: [] }], {
    producerId: o.producerId,
    producerEpoch: o.producerEpoch,
    baseSequence: NO_SEQUENCE,
    transactional: true,
    control: true,
  });
}

/** Reads the marker type of a control batch; null when the control record type is unknown. */
export function readControlType(batch: Buffer): { type: ControlType; coordinatorEpoch: number } | null {
  const [rec] = decodeRecords(batch);
  if (rec === undefined || rec.key === null || rec.key.length < 4) return null;
  const type = rec.key.readInt16BE(2);
  const coordinatorEpoch = rec.value !== null && rec.value.length >= 6 ? rec.value.readInt32BE(2) : -1;
  if (type === CONTROL_TYPE_ABORT) return { type: 'abort', coordinatorEpoch };
  if (type === CONTROL_TYPE_COMMIT) return { type: 'commit', coordinatorEpoch };
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Decoding

/** The uncompressed record bytes of a batch; gzip is inflated, other codecs are unsupported here. */
export function recordsPayload(batch: Buffer, header: BatchHeader = readBatchHeader(batch)): Buffer {
  const body = batch.subarray(RECORDS_POS, header.sizeInBytes);
  switch (header.compression) {
    case COMPRESSION_NONE:
      return body;
    case COMPRESSION_GZIP:
      try {
        return gunzipSync(body, { maxOutputLength: MAX_INFLATED_BYTES });
      } catch (err) {
        throw new LogError(CORRUPT_MESSAGE, `inflating gzip batch: ${(err as Error).message}`, { cause: err });
      }
    default:
      throw new LogError(UNSUPPORTED_COMPRESSION_TYPE, `decoding batch: compression codec ${header.compression} is not available in this build`);
  }
}

/**
 * Cheap structural check of an uncompressed batch: `recordCount` length-prefixed records exactly fill
 * the batch. Compressed batches are not inflated here and pass.
 */
export function checkRecordFraming(batch: Buffer, header: BatchHeader): boolean {
  if (header.compression !== COMPRESSION_NONE) return true;
  let pos = RECORDS_POS;
  const end = header.sizeInBytes;
  try {
    for (let i = 0; i < header.recordCount; i++) {
      const len = readVarint(batch, pos, end);
      if (len.value < 1) return false;
      pos = len.next + len.value;
      if (pos > end) return false;
    }
  } catch {
    return false;
  }
  return pos === end;
}

/** True when {@link decodeRecords} can read this batch's records. */
export function canDecode(header: BatchHeader): boolean {
  return header.compression === COMPRESSION_NONE || header.compression === COMPRESSION_GZIP;
}

function readBytes(buf: Buffer, pos: number, end: number): { value: Buffer | null; next: number } {
  const len = readVarint(buf, pos, end);
  if (len.value < 0) return { value: null, next: len.next };
  if (len.next + len.value > end) throw new LogError(CORRUPT_MESSAGE, 'decoding record: field runs past the record');
  return { value: buf.subarray(len.next, len.next + len.value), next: len.next + len.value };
}

/** Like {@link decodeRecords} but keeps each record's offset delta (for rewriting batches). */
export function decodePlacedRecords(batch: Buffer): { header: BatchHeader; records: PlacedRecord[] } {
  const header = readBatchHeader(batch);
  const payload = recordsPayload(batch, header);
  const records: PlacedRecord[] = [];
  let pos = 0;
  for (let i = 0; i < header.recordCount; i++) {
    const len = readVarint(payload, pos, payload.length);
    const end = len.next + len.value;
    if (len.value < 1 || end > payload.length) throw new LogError(CORRUPT_MESSAGE, `decoding record ${i}: length ${len.value} runs past the batch`);
    let p = len.next + 1; // record attributes: unused
    const ts = readVarlong(payload, p, end);
    const od = readVarint(payload, ts.next, end);
    const key = readBytes(payload, od.next, end);
    const value = readBytes(payload, key.next, end);
    const hc = readVarint(payload, value.next, end);
    p = hc.next;
    const headers: RecordHeader[] = [];
    for (let h = 0; h < hc.value; h++) {
      const hk = readBytes(payload, p, end);
      const hv = readBytes(payload, hk.next, end);
      headers.push({ key: hk.value === null ? '' : hk.value.toString('utf8'), value: hv.value });
      p = hv.next;
    }
    const timestamp = header.timestampType === 1 ? header.maxTimestamp : header.baseTimestamp + ts.value;
    records.push({ offsetDelta: od.value, timestamp, key: key.value, value: value.value, headers });
    pos = end;
  }
  return { header, records };
}

/**
 * Decodes every record of one batch (uncompressed or gzip). Keys, values and header values are views
 * over the batch (or over the inflated payload). With LogAppendTime every record carries maxTimestamp.
 */
export function decodeRecords(batch: Buffer): DecodedRecord[] {
  const { header, records } = decodePlacedRecords(batch);
  return records.map((r) => ({ offset: header.baseOffset + BigInt(r.offsetDelta), timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers }));
}

/** The offset of the batch's last record. */
export function lastOffsetOf(header: BatchHeader): bigint {
  return header.baseOffset + BigInt(header.lastOffsetDelta);
}

/** The sequence number of the batch's last record; sequences wrap from 2^31-1 to 0 as in Kafka. */
export function lastSequenceOf(header: BatchHeader): number {
  return incrementSequence(header.baseSequence, header.lastOffsetDelta);
}

export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > 0x7fffffff - increment) return increment - (0x7fffffff - sequence) - 1;
  return sequence + increment;
}
