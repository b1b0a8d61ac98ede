import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORRUPT_MESSAGE, LogError, UNSUPPORTED_COMPRESSION_TYPE, UNSUPPORTED_FOR_MESSAGE_FORMAT } from '../../../src/broker/log/errors.ts';
import {
  buildControlBatch,
  buildRecordBatch,
  CRC_POS,
  checkRecordFraming,
  decodeRecords,
  encodeBatch,
  readBatchHeader,
  readControlType,
  setBaseOffset,
  splitBatches,
  verifyBatchCrc,
} from '../../../src/broker/log/record-batch.ts';
import { KAFKAJS_GZIP, kafkajsBatch } from './support.ts';

function errorCode(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof LogError ? err.errorCode : undefined;
  }
  return undefined;
}

describe('record batch v2 from kafkajs', () => {
  it('parses the header kafkajs writes', async () => {
    const batch = await kafkajsBatch(
      [
        { key: 'k1', value: 'v1', timestamp: 1_000 },
        { key: 'k2', value: 'v2', timestamp: 1_005 },
        { key: null, value: 'v3', timestamp: 1_002 },
      ],
      { producerId: 42n, producerEpoch: 3, firstSequence: 7, transactional: true },
    );
    const h = readBatchHeader(batch);
    expect(h).toMatchObject({
      baseOffset: 0n,
      magic: 2,
      compression: 0,
      timestampType: 0,
      isTransactional: true,
      isControl: false,
      lastOffsetDelta: 2,
      baseTimestamp: 1000n,
      maxTimestamp: 1005n,
      producerId: 42n,
      producerEpoch: 3,
      baseSequence: 7,
      recordCount: 3,
      sizeInBytes: batch.length,
    });
    expect(verifyBatchCrc(batch)).toBe(true);
    expect(checkRecordFraming(batch, h)).toBe(true);
  });

  it('decodes kafkajs records, headers and null keys', async () => {
    const batch = await kafkajsBatch([
      { key: 'k1', value: 'v1', timestamp: 1_000, headers: { source: 'mysql', empty: '' } },
      { key: null, value: null, timestamp: 999 },
    ]);
    setBaseOffset(batch, 100n);
    expect(verifyBatchCrc(batch)).toBe(true);
    const records = decodeRecords(batch);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ offset: 100n, timestamp: 1000n });
    expect(records[0]?.key?.toString()).toBe('k1');
    expect(records[0]?.value?.toString()).toBe('v1');
    expect(records[0]?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ['source', 'mysql'],
      ['empty', ''],
    ]);
    expect(records[1]).toMatchObject({ offset: 101n, timestamp: 999n, key: null, value: null, headers: [] });
  });

  it('decodes a gzip batch from kafkajs', async () => {
    const records = Array.from({ length: 20 }, (_, i) => ({ key: `key-${i}`, value: `value-${i}`.repeat(10), timestamp: 5_000 + i }));
    const batch = await kafkajsBatch(records, { compression: KAFKAJS_GZIP });
    const h = readBatchHeader(batch);
    expect(h.compression).toBe(1);
    expect(verifyBatchCrc(batch)).toBe(true);
    const decoded = decodeRecords(batch);
    expect(decoded.map((r) => r.value?.toString())).toEqual(records.map((r) => r.value));
    expect(decoded.map((r) => r.timestamp)).toEqual(records.map((r) => BigInt(r.timestamp)));
  });

  it('encodes byte-for-byte what kafkajs encodes for the same fields', async () => {
    const input = [
      { key: 'a', value: 'alpha', timestamp: 10_000, headers: { h: 'x' } },
      { key: 'b', value: 'beta', timestamp: 10_001 },
    ];
    const theirs = await kafkajsBatch(input, { producerId: 9n, producerEpoch: 1, firstSequence: 4 });
    const ours = encodeBatch(
      input.map((r, i) => ({
        offsetDelta: i,
        timestamp: BigInt(r.timestamp),
        key: Buffer.from(r.key),
        value: Buffer.from(r.value),
        headers: Object.entries(r.headers ?? {}).map(([key, value]) => ({ key, value: Buffer.from(value) })),
      })),
      { partitionLeaderEpoch: 0, producerId: 9n, producerEpoch: 1, baseSequence: 4 },
    );
    expect(ours.toString('hex')).toBe(theirs.toString('hex'));
  });
});

function fixture(name: string): Buffer {
  return Buffer.from(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').trim(), 'hex');
}

describe('captured kafkajs batches (fixtures)', () => {
  it('parses a transactional batch with headers and a tombstone', () => {
    const batch = fixture('kafkajs-transactional-3-records.hex');
    expect(verifyBatchCrc(batch)).toBe(true);
    expect(readBatchHeader(batch)).toMatchObject({
      producerId: 1000n,
      producerEpoch: 2,
      baseSequence: 5,
      isTransactional: true,
      recordCount: 3,
      lastOffsetDelta: 2,
      baseTimestamp: 1_700_000_000_000n,
      maxTimestamp: 1_700_000_000_003n,
    });
    const rs = decodeRecords(batch);
    expect(rs.map((r) => [r.offset, r.timestamp, r.key?.toString(), r.value?.toString() ?? null])).toEqual([
      [0n, 1_700_000_000_000n, 'order-1', '{"id":1,"total":9.5}'],
      [1n, 1_700_000_000_003n, 'order-2', '{"id":2,"total":12}'],
      [2n, 1_700_000_000_001n, 'order-1', null],
    ]);
    expect(rs[0]?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([['content-type', 'application/json']]);
  });

  it('parses a gzip batch', () => {
    const batch = fixture('kafkajs-gzip-5-records.hex');
    expect(verifyBatchCrc(batch)).toBe(true);
    expect(readBatchHeader(batch)).toMatchObject({ compression: 1, recordCount: 5, producerId: 7n });
    expect(decodeRecords(batch).map((r) => r.key?.toString())).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });
});

describe('buildRecordBatch', () => {
  it('round-trips keys, values, headers and timestamps', () => {
    const batch = buildRecordBatch(
      [
        { key: Buffer.from('k'), value: Buffer.from('v'), headers: [{ key: 'h1', value: null }], timestamp: 5n },
        { key: null, value: Buffer.alloc(0), timestamp: 3n },
      ],
      { baseOffset: 7n, producerId: 1n, producerEpoch: 2, baseSequence: 0, transactional: true },
    );
    const h = readBatchHeader(batch);
    expect(h).toMatchObject({ baseOffset: 7n, lastOffsetDelta: 1, baseTimestamp: 5n, maxTimestamp: 5n, producerId: 1n, isTransactional: true, recordCount: 2 });
    expect(verifyBatchCrc(batch)).toBe(true);
    const rs = decodeRecords(batch);
    expect(rs[0]).toMatchObject({ offset: 7n, timestamp: 5n, headers: [{ key: 'h1', value: null }] });
    expect(rs[1]).toMatchObject({ offset: 8n, timestamp: 3n, key: null });
    expect(rs[1]?.value?.length).toBe(0);
  });

  it('builds gzip batches', () => {
    const batch = buildRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('v'.repeat(500)), timestamp: 1n }], { compression: 1 });
    expect(readBatchHeader(batch).compression).toBe(1);
    expect(batch.length).toBeLessThan(200);
    expect(decodeRecords(batch)[0]?.value?.toString()).toBe('v'.repeat(500));
  });

  it('handles large timestamp deltas (varlong beyond 32 bits)', () => {
    const batch = buildRecordBatch([
      { key: null, value: null, timestamp: 0n },
      { key: null, value: null, timestamp: 1_700_000_000_000n },
    ]);
    expect(decodeRecords(batch).map((r) => r.timestamp)).toEqual([0n, 1_700_000_000_000n]);
  });
});

describe('control batches', () => {
  it('encodes commit and abort markers as Kafka does', () => {
    for (const commit of [true, false]) {
      const batch = buildControlBatch({ producerId: 77n, producerEpoch: 4, commit, coordinatorEpoch: 12, timestamp: 1234n });
      const h = readBatchHeader(batch);
      expect(h).toMatchObject({ isControl: true, isTransactional: true, producerId: 77n, producerEpoch: 4, baseSequence: -1, recordCount: 1, lastOffsetDelta: 0, baseOffset: 0n });
      expect(verifyBatchCrc(batch)).toBe(true);
      const [rec] = decodeRecords(batch);
      expect(rec?.key?.toString('hex')).toBe(commit ? '00000001' : '00000000');
      expect(rec?.value?.toString('hex')).toBe('00000000000c');
      expect(readControlType(batch)).toEqual({ type: commit ? 'commit' : 'abort', coordinatorEpoch: 12 });
    }
  });
});

describe('splitting and validation', () => {
  const a = buildRecordBatch([{ key: null, value: Buffer.from('a'), timestamp: 1n }]);
  const b = buildRecordBatch([{ key: null, value: Buffer.from('bb'), timestamp: 2n }]);

  it('splits a blob holding several batches', () => {
    const parts = splitBatches(Buffer.concat([a, b]));
    expect(parts.map((p) => p.toString('hex'))).toEqual([a.toString('hex'), b.toString('hex')]);
    expect(splitBatches(Buffer.alloc(0))).toEqual([]);
  });

  it('rejects a truncated trailing batch with CORRUPT_MESSAGE', () => {
    const blob = Buffer.concat([a, b.subarray(0, b.length - 3)]);
    expect(errorCode(() => splitBatches(blob))).toBe(CORRUPT_MESSAGE);
    expect(errorCode(() => splitBatches(Buffer.concat([a, Buffer.alloc(5)])))).toBe(CORRUPT_MESSAGE);
  });

  it('rejects short and old-format headers', () => {
    expect(errorCode(() => readBatchHeader(a.subarray(0, 30)))).toBe(CORRUPT_MESSAGE);
    expect(errorCode(() => readBatchHeader(a.subarray(0, a.length - 1)))).toBe(CORRUPT_MESSAGE);
    const v1 = Buffer.from(a);
    v1.writeInt8(1, 16);
    expect(errorCode(() => readBatchHeader(v1))).toBe(UNSUPPORTED_FOR_MESSAGE_FORMAT);
  });

  it('detects a flipped bit with the CRC, but not a changed base offset', () => {
    const copy = Buffer.from(a);
    setBaseOffset(copy, 999n);
    expect(verifyBatchCrc(copy)).toBe(true);
    copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 1;
    expect(verifyBatchCrc(copy)).toBe(false);
    const badCrc = Buffer.from(a);
    badCrc.writeUInt32BE(0, CRC_POS);
    expect(verifyBatchCrc(badCrc)).toBe(false);
  });

  it('reports an unsupported codec instead of guessing', () => {
    const snappy = Buffer.from(a);
    snappy.writeInt16BE(2, 21);
    expect(errorCode(() => decodeRecords(snappy))).toBe(UNSUPPORTED_COMPRESSION_TYPE);
  });
});
