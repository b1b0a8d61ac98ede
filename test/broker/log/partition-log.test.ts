import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CORRUPT_MESSAGE, INVALID_RECORD, LogError, MESSAGE_TOO_LARGE, OFFSET_OUT_OF_RANGE } from '../../../src/broker/log/errors.ts';
import { PartitionLog, type LogConfig } from '../../../src/broker/log/partition-log.ts';
import { buildControlBatch, buildRecordBatch, decodeRecords, readBatchHeader, splitBatches } from '../../../src/broker/log/record-batch.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { kafkajsBatch, manualClock, tempDir, testConfig } from './support.ts';

let dir: { path: string; cleanup(): Promise<void> };
const clock = manualClock();
const logs: PartitionLog[] = [];

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  for (const l of logs.splice(0)) await l.close();
  await dir.cleanup();
});

async function openLog(config: Partial<LogConfig> = {}): Promise<PartitionLog> {
  const log = await PartitionLog.open(dir.path, testConfig(config), { clock, logger: silentLogger });
  logs.push(log);
  return log;
}

function batchOf(values: string[], timestamp = 1000n): Buffer {
  return buildRecordBatch(values.map((v, i) => ({ key: Buffer.from(`k-${v}`), value: Buffer.from(v), timestamp: timestamp + BigInt(i) })));
}

function valuesOf(records: Buffer): string[] {
  return splitBatches(records).flatMap((b) => decodeRecords(b).map((r) => r.value?.toString() ?? '<null>'));
}

async function codeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LogError) return err.errorCode;
    throw err;
  }
  return undefined;
}

describe('PartitionLog append and read', () => {
  it('assigns consecutive offsets and serves them back', async () => {
    const log = await openLog();
    const r1 = await log.append([batchOf(['a', 'b', 'c'])]);
    const r2 = await log.append([batchOf(['d'])]);
    expect(r1).toMatchObject({ baseOffset: 0n, lastOffset: 2n, duplicate: false, logAppendTime: -1n, logStartOffset: 0n });
    expect(r2).toMatchObject({ baseOffset: 3n, lastOffset: 3n });
    expect(log.logEndOffset).toBe(4n);
    expect(log.lastStableOffset).toBe(4n);
    const all = await log.read(0n, 1 << 20, 'read_uncommitted');
    expect(valuesOf(all.records)).toEqual(['a', 'b', 'c', 'd']);
    expect(all).toMatchObject({ highWatermark: 4n, lastStableOffset: 4n, logStartOffset: 0n, abortedTransactions: [] });
    const batches = splitBatches(all.records).map((b) => readBatchHeader(b).baseOffset);
    expect(batches).toEqual([0n, 3n]);
  });

  it('appends kafkajs batches and keeps their bytes apart from the offset', async () => {
    const log = await openLog();
    await log.append([batchOf(['x'])]);
    const theirs = await kafkajsBatch([{ key: 'k', value: 'from-kafkajs', timestamp: 1 }]);
    const before = Buffer.from(theirs);
    await log.append([theirs]);
    expect(theirs.equals(before)).toBe(true);
    const read = await log.read(1n, 1 << 20, 'read_uncommitted');
    const [stored] = splitBatches(read.records);
    expect(readBatchHeader(stored as Buffer).baseOffset).toBe(1n);
    expect(stored?.subarray(8).equals(theirs.subarray(8))).toBe(true);
  });

  it('returns the whole batch holding fromOffset, even when it starts earlier', async () => {
    const log = await openLog();
    await log.append([batchOf(['a', 'b', 'c', 'd'])]);
    await log.append([batchOf(['e'])]);
    const r = await log.read(2n, 1 << 20, 'read_uncommitted');
    expect(splitBatches(r.records).map((b) => readBatchHeader(b).baseOffset)).toEqual([0n, 4n]);
    expect((await log.read(4n, 1 << 20, 'read_uncommitted')).records.length).toBeGreaterThan(0);
    expect((await log.read(5n, 1 << 20, 'read_uncommitted')).records.length).toBe(0);
  });

  it('KIP-74: returns one whole batch even when it exceeds maxBytes, and stops before the next', async () => {
    const log = await openLog();
    await log.append([batchOf(['x'.repeat(500)])]);
    await log.append([batchOf(['y'.repeat(10)])]);
    await log.append([batchOf(['z'.repeat(10)])]);
    const first = await log.read(0n, 10, 'read_uncommitted');
    expect(valuesOf(first.records)).toEqual(['x'.repeat(500)]);
    const size1 = splitBatches((await log.read(1n, 1 << 20, 'read_uncommitted')).records)[0]?.length ?? 0;
    const two = await log.read(1n, size1 * 2, 'read_uncommitted');
    expect(valuesOf(two.records)).toEqual(['y'.repeat(10), 'z'.repeat(10)]);
    const one = await log.read(1n, size1 * 2 - 1, 'read_uncommitted');
    expect(valuesOf(one.records)).toEqual(['y'.repeat(10)]);
    const none = await log.read(0n, 10, 'read_uncommitted', { minOneMessage: false });
    expect(none.records.length).toBe(0);
    expect(none.highWatermark).toBe(3n);
  });

  it('rejects offsets outside [logStartOffset, LEO] with OFFSET_OUT_OF_RANGE', async () => {
    const log = await openLog();
    await log.append([batchOf(['a'])]);
    expect(await codeOf(log.read(2n, 100, 'read_uncommitted'))).toBe(OFFSET_OUT_OF_RANGE);
    expect(await codeOf(log.read(-1n, 100, 'read_uncommitted'))).toBe(OFFSET_OUT_OF_RANGE);
    expect((await log.read(1n, 100, 'read_uncommitted')).records.length).toBe(0);
  });

  it('writes every batch of one append together', async () => {
    const log = await openLog();
    const r = await log.append([batchOf(['a', 'b']), batchOf(['c'])]);
    expect(r).toMatchObject({ baseOffset: 0n, lastOffset: 2n });
    const bad = batchOf(['d']);
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
    expect(await codeOf(log.append([batchOf(['ok']), bad]))).toBe(CORRUPT_MESSAGE);
    expect(log.logEndOffset).toBe(3n);
    expect(valuesOf((await log.read(0n, 1 << 20, 'read_uncommitted')).records)).toEqual(['a', 'b', 'c']);
  });

  it('validates size, CRC, control batches and empty appends', async () => {
    const log = await openLog({ maxMessageBytes: 200 });
    expect(await codeOf(log.append([batchOf(['x'.repeat(300)])]))).toBe(MESSAGE_TOO_LARGE);
    const control = buildControlBatch({ producerId: 1n, producerEpoch: 0, commit: true, coordinatorEpoch: 0, timestamp: 1n });
    expect(await codeOf(log.append([control]))).toBe(INVALID_RECORD);
    expect(await codeOf(log.append([]))).toBe(INVALID_RECORD);
    const truncated = batchOf(['abc']).subarray(0, 40);
    expect(await codeOf(log.append([truncated]))).toBe(CORRUPT_MESSAGE);
    expect(log.logEndOffset).toBe(0n);
  });

  it('requires keys on compacted topics', async () => {
    const log = await openLog({ cleanupPolicy: 'compact' });
    const keyless = buildRecordBatch([{ key: null, value: Buffer.from('v'), timestamp: 1n }]);
    expect(await codeOf(log.append([keyless]))).toBe(INVALID_RECORD);
  });

  it('overwrites timestamps with LogAppendTime when configured', async () => {
    const log = await openLog({ messageTimestampType: 'LogAppendTime' });
    const r = await log.append([batchOf(['a', 'b'], 5n)]);
    expect(r.logAppendTime).toBe(BigInt(clock.now()));
    const [b] = splitBatches((await log.read(0n, 1 << 20, 'read_uncommitted')).records);
    expect(readBatchHeader(b as Buffer)).toMatchObject({ timestampType: 1, maxTimestamp: BigInt(clock.now()) });
    expect(decodeRecords(b as Buffer).map((x) => x.timestamp)).toEqual([BigInt(clock.now()), BigInt(clock.now())]);
  });

  it('keeps offsets given by the caller when assignOffsets is false', async () => {
    const log = await openLog();
    const b = buildRecordBatch([{ key: null, value: Buffer.from('a'), timestamp: 1n }], { baseOffset: 10n });
    const r = await log.append([b], { assignOffsets: false });
    expect(r).toMatchObject({ baseOffset: 10n, lastOffset: 10n });
    expect(log.logEndOffset).toBe(11n);
    const back = buildRecordBatch([{ key: null, value: Buffer.from('b'), timestamp: 1n }], { baseOffset: 5n });
    expect(await codeOf(log.append([back], { assignOffsets: false }))).toBe(INVALID_RECORD);
  });

  it('never lets a read see a batch whose append has not finished', async () => {
    const log = await openLog({ segmentBytes: 4096 });
    const appends: Array<Promise<unknown>> = [];
    const seen: bigint[] = [];
    for (let i = 0; i < 200; i++) {
      appends.push(log.append([batchOf([`v${i}`])]));
      if (i % 7 === 0) {
        const r = await log.read(0n, 1 << 20, 'read_uncommitted');
        for (const b of splitBatches(r.records)) seen.push(readBatchHeader(b).baseOffset);
        expect(seen.every((o) => o < r.highWatermark)).toBe(true);
        seen.length = 0;
      }
    }
    await Promise.all(appends);
    expect(valuesOf((await log.read(0n, 1 << 30, 'read_uncommitted')).records)).toHaveLength(200);
  });
});

describe('PartitionLog segments', () => {
  it('rolls segments at segmentBytes and reads across them', async () => {
    const log = await openLog({ segmentBytes: 300, indexIntervalBytes: 100 });
    for (let i = 0; i < 40; i++) await log.append([batchOf([`value-${i}`])]);
    const names = (await readdir(dir.path)).filter((n) => n.endsWith('.log')).sort();
    expect(names.length).toBeGreaterThan(5);
    expect(names[0]).toBe('00000000000000000000.log');
    expect(names.every((n) => /^\d{20}\.log$/.test(n))).toBe(true);
    expect(valuesOf((await log.read(0n, 1 << 20, 'read_uncommitted')).records)).toEqual(Array.from({ length: 40 }, (_, i) => `value-${i}`));
    for (const from of [0n, 7n, 13n, 39n]) {
      const r = await log.read(from, 1, 'read_uncommitted');
      expect(valuesOf(r.records)).toEqual([`value-${from}`]);
    }
  });

  it('rolls by segmentMs on the injected clock', async () => {
    const log = await openLog({ segmentMs: 60_000 });
    await log.append([batchOf(['a'])]);
    clock.advance(30_000);
    await log.append([batchOf(['b'])]);
    clock.advance(30_000);
    await log.append([batchOf(['c'])]);
    const names = (await readdir(dir.path)).filter((n) => n.endsWith('.log')).sort();
    expect(names).toEqual(['00000000000000000000.log', '00000000000000000002.log']);
  });

  it('reopens after a clean close with the same contents', async () => {
    const log = await openLog({ segmentBytes: 300 });
    for (let i = 0; i < 20; i++) await log.append([batchOf([`v${i}`])]);
    await log.close();
    await log.close();
    logs.splice(0);
    const again = await openLog({ segmentBytes: 300 });
    expect(again.logEndOffset).toBe(20n);
    expect(valuesOf((await again.read(0n, 1 << 20, 'read_uncommitted')).records)).toHaveLength(20);
    await again.append([batchOf(['after'])]);
    expect(valuesOf((await again.read(20n, 1 << 20, 'read_uncommitted')).records)).toEqual(['after']);
  });
});

describe('offsetForTimestamp', () => {
  it('answers latest, earliest, max timestamp and timestamp lookups', async () => {
    const log = await openLog({ segmentBytes: 250, indexIntervalBytes: 64 });
    // Timestamps 1000, 1010, ... with one out-of-order maximum at offset 7.
    for (let i = 0; i < 15; i++) {
      const ts = i === 7 ? 99_999n : 1000n + BigInt(i * 10);
      await log.append([buildRecordBatch([{ key: Buffer.from('k'), value: Buffer.from(`v${i}`), timestamp: ts }])]);
    }
    expect(await log.offsetForTimestamp(-1n, 'read_uncommitted')).toEqual({ offset: 15n, timestamp: -1n });
    expect(await log.offsetForTimestamp(-2n, 'read_uncommitted')).toEqual({ offset: 0n, timestamp: -1n });
    expect(await log.offsetForTimestamp(-3n, 'read_uncommitted')).toEqual({ offset: 7n, timestamp: 99_999n });
    expect(await log.offsetForTimestamp(0n, 'read_uncommitted')).toEqual({ offset: 0n, timestamp: 1000n });
    expect(await log.offsetForTimestamp(1035n, 'read_uncommitted')).toEqual({ offset: 4n, timestamp: 1040n });
    expect(await log.offsetForTimestamp(1100n, 'read_uncommitted')).toEqual({ offset: 7n, timestamp: 99_999n });
    expect(await log.offsetForTimestamp(100_000n, 'read_uncommitted')).toBeNull();
  });

  it('finds records inside a multi-record batch', async () => {
    const log = await openLog();
    await log.append([batchOf(['a', 'b', 'c', 'd'], 500n)]);
    expect(await log.offsetForTimestamp(502n, 'read_uncommitted')).toEqual({ offset: 2n, timestamp: 502n });
  });
});
