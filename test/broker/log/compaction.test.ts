import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32c } from '../../../src/broker/log/crc32c.ts';
import { PartitionLog, type LogConfig } from '../../../src/broker/log/partition-log.ts';
import { ATTRIBUTES_POS, buildRecordBatch, CRC_POS, decodeRecords, readBatchHeader, splitBatches } from '../../../src/broker/log/record-batch.ts';
import { manualClock, recordingLogger, tempDir, testConfig, type ManualClock, type RecordingLogger } from './support.ts';

let dir: { path: string; cleanup(): Promise<void> };
let clock: ManualClock;
let logger: RecordingLogger;
const logs: PartitionLog[] = [];

beforeEach(async () => {
  dir = await tempDir();
  clock = manualClock(10_000_000);
  logger = recordingLogger();
});
afterEach(async () => {
  for (const l of logs.splice(0)) await l.close();
  await dir.cleanup();
});

const DAY = 86_400_000;

async function openLog(config: Partial<LogConfig> = {}): Promise<PartitionLog> {
  const log = await PartitionLog.open(dir.path, testConfig({ cleanupPolicy: 'compact', segmentBytes: 300, ...config }), { clock, logger });
  logs.push(log);
  return log;
}

function put(key: string, value: string | null, o: { producerId?: bigint; seq?: number; transactional?: boolean; compression?: number } = {}): Buffer {
  return buildRecordBatch([{ key: Buffer.from(key), value: value === null ? null : Buffer.from(value), timestamp: BigInt(clock.now()) }], {
    ...(o.producerId !== undefined ? { producerId: o.producerId, producerEpoch: 0, baseSequence: o.seq ?? 0 } : {}),
    transactional: o.transactional ?? false,
    compression: o.compression ?? 0,
  });
}

interface Row {
  offset: bigint;
  key: string;
  value: string | null;
}

async function rows(log: PartitionLog, isolation: 'read_uncommitted' | 'read_committed' = 'read_uncommitted'): Promise<Row[]> {
  const r = await log.read(log.logStartOffset, 1 << 30, isolation);
  return splitBatches(r.records)
    .filter((b) => !readBatchHeader(b).isControl)
    .flatMap((b) => decodeRecords(b).map((x) => ({ offset: x.offset, key: x.key?.toString() ?? '', value: x.value?.toString() ?? null })));
}

/** Appends enough filler to roll the active segment so everything before it is cleanable. */
async function rollPast(log: PartitionLog): Promise<void> {
  for (let i = 0; i < 6; i++) await log.append([put('filler', `f${i}`.padEnd(60, '.'))]);
}

describe('compaction', () => {
  it('keeps only the latest record per key in closed segments, at its original offset', async () => {
    const log = await openLog();
    const written: Row[] = [];
    for (let round = 0; round < 4; round++) {
      for (const key of ['a', 'b', 'c']) {
        const r = await log.append([put(key, `${key}${round}`)]);
        written.push({ offset: r.baseOffset, key, value: `${key}${round}` });
      }
    }
    await rollPast(log);
    const before = await rows(log);
    await log.compact();
    const after = await rows(log);
    expect(after.length).toBeLessThan(before.length);
    for (const key of ['a', 'b', 'c']) {
      const survivors = after.filter((r) => r.key === key);
      expect(survivors).toEqual([written.filter((w) => w.key === key).at(-1)]);
    }
    // Offsets are strictly increasing and the log end did not move.
    const offs = after.map((r) => r.offset);
    expect(offs).toEqual([...offs].sort((x, y) => (x < y ? -1 : 1)));
    expect(log.logEndOffset).toBe(before.at(-1)!.offset + 1n);
    expect(logger.lines.some((l) => l.msg === 'compacted log segments')).toBe(true);
  });

  it('copies an unchanged prefix verbatim before the first removed record', async () => {
    const log = await openLog({ segmentBytes: 2000 });
    for (const k of ['u1', 'u2', 'u3']) await log.append([put(k, `${k}-only`)]);
    await log.append([put('k', 'old')]);
    await log.append([put('u4', 'u4-only')]);
    await log.append([put('k', 'new')]);
    await log.close();
    logs.splice(0);
    const small = await openLog({ segmentBytes: 300 });
    await rollPast(small);
    await small.compact();
    const after = await rows(small);
    expect(after.filter((r) => r.key !== 'filler').map((r) => [r.offset, r.value])).toEqual([
      [0n, 'u1-only'],
      [1n, 'u2-only'],
      [2n, 'u3-only'],
      [4n, 'u4-only'],
      [5n, 'new'],
    ]);
  });

  it('is stable across a reopen and a second pass', async () => {
    const log = await openLog();
    for (let i = 0; i < 10; i++) await log.append([put(`k${i % 3}`, `v${i}`)]);
    await rollPast(log);
    await log.compact();
    const once = await rows(log);
    await log.compact();
    expect(await rows(log)).toEqual(once);
    await log.close();
    logs.splice(0);
    const again = await openLog();
    expect(await rows(again)).toEqual(once);
    for (const r of once) {
      const got = await again.read(r.offset, 1, 'read_uncommitted');
      expect(splitBatches(got.records).flatMap((b) => decodeRecords(b).map((x) => x.offset))).toContain(r.offset);
    }
  });

  it('keeps tombstones for delete.retention.ms, then removes them', async () => {
    const log = await openLog({ deleteRetentionMs: DAY });
    await log.append([put('gone', 'v1')]);
    await log.append([put('gone', null)]);
    await log.append([put('kept', 'v1')]);
    await rollPast(log);
    await log.compact();
    expect((await rows(log)).filter((r) => r.key === 'gone')).toEqual([{ offset: 1n, key: 'gone', value: null }]);
    clock.advance(DAY + 1);
    await log.compact();
    const after = await rows(log);
    expect(after.filter((r) => r.key === 'gone')).toEqual([]);
    expect(after.filter((r) => r.key === 'kept')).toHaveLength(1);
  });

  it('drops aborted transactional records and never lets them shadow committed values', async () => {
    const log = await openLog();
    await log.append([put('k', 'committed')]);
    await log.append([put('k', 'aborted', { producerId: 7n, seq: 0, transactional: true })]);
    await log.writeControlMarker({ producerId: 7n, producerEpoch: 0, commit: false, coordinatorEpoch: 0 });
    // A later producer batch so that producer 7's aborted batch is not its last batch.
    await log.append([put('other', 'x', { producerId: 7n, seq: 1, transactional: true })]);
    await log.writeControlMarker({ producerId: 7n, producerEpoch: 0, commit: true, coordinatorEpoch: 0 });
    await rollPast(log);
    await log.compact();
    const after = await rows(log);
    expect(after.filter((r) => r.key === 'k')).toEqual([{ offset: 0n, key: 'k', value: 'committed' }]);
    const all = await log.read(0n, 1 << 30, 'read_uncommitted');
    const controls = splitBatches(all.records).filter((b) => readBatchHeader(b).isControl);
    expect(controls).toHaveLength(2);
  });

  it('leaves open transactions and the active segment alone', async () => {
    const log = await openLog();
    await log.append([put('k', 'v0')]);
    await log.append([put('t', 'open', { producerId: 9n, seq: 0, transactional: true })]);
    for (let i = 1; i < 8; i++) await log.append([put('k', `v${i}`)]);
    const before = await rows(log);
    await log.compact();
    expect(await rows(log)).toEqual(before);
    await log.writeControlMarker({ producerId: 9n, producerEpoch: 0, commit: true, coordinatorEpoch: 0 });
    await rollPast(log);
    await log.compact();
    const after = await rows(log);
    expect(after.filter((r) => r.key === 'k')).toEqual([before.filter((r) => r.key === 'k').at(-1)]);
    expect(after.filter((r) => r.key === 't')).toHaveLength(1);
  });

  it("keeps an idempotent producer's last batch whole so its sequence survives a rebuild", async () => {
    const log = await openLog();
    await log.append([put('k', 'p0', { producerId: 3n, seq: 0 })]);
    await log.append([put('k', 'plain')]);
    await rollPast(log);
    await log.compact();
    const after = await rows(log);
    expect(after.filter((r) => r.key === 'k').map((r) => r.value)).toEqual(['p0', 'plain']);
  });

  it('compacts gzip batches and keeps batches it cannot decompress', async () => {
    const log = await openLog();
    await log.append([put('z', 'gz1', { compression: 1 })]);
    const fakeSnappy = put('s', 'opaque');
    fakeSnappy.writeInt16BE(fakeSnappy.readInt16BE(ATTRIBUTES_POS) | 2, ATTRIBUTES_POS);
    fakeSnappy.writeUInt32BE(crc32c(fakeSnappy, ATTRIBUTES_POS), CRC_POS);
    await log.append([fakeSnappy]);
    await log.append([put('z', 'gz2', { compression: 1 })]);
    await rollPast(log);
    await log.compact();
    const all = await log.read(0n, 1 << 30, 'read_uncommitted');
    const batches = splitBatches(all.records);
    expect(batches.some((b) => readBatchHeader(b).compression === 2)).toBe(true);
    const gz = batches.filter((b) => readBatchHeader(b).compression === 1);
    expect(gz.flatMap((b) => decodeRecords(b).map((r) => r.value?.toString()))).toEqual(['gz2']);
    expect(logger.lines.some((l) => l.level === 'warn' && /snappy\/lz4\/zstd/.test(l.msg ?? ''))).toBe(true);
  });

  it('serves consistent reads while segments are being replaced', async () => {
    const log = await openLog({ segmentBytes: 600 });
    for (let i = 0; i < 200; i++) await log.append([put(`k${i % 7}`, `v${i}`)]);
    await rollPast(log);
    let finished = false;
    const compaction = log.compact().finally(() => {
      finished = true;
    });
    let reads = 0;
    while (!finished || reads < 3) {
      const got = await rows(log);
      const offs = got.map((r) => r.offset);
      expect(offs).toEqual([...offs].sort((a, b) => (a < b ? -1 : 1)));
      expect(got.filter((r) => r.key === 'k0').at(-1)?.value).toBe('v196');
      reads++;
    }
    await compaction;
    expect((await rows(log)).filter((r) => r.key.startsWith('k'))).toHaveLength(7);
  });

  it('does nothing for delete-only topics', async () => {
    const log = await openLog({ cleanupPolicy: 'delete' });
    for (let i = 0; i < 10; i++) await log.append([put('k', `v${i}`)]);
    await rollPast(log);
    const before = await rows(log);
    await log.compact();
    expect(await rows(log)).toEqual(before);
  });
});
