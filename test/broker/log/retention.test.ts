import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogError, OFFSET_OUT_OF_RANGE } from '../../../src/broker/log/errors.ts';
import { PartitionLog, type LogConfig } from '../../../src/broker/log/partition-log.ts';
import { buildRecordBatch, decodeRecords, splitBatches } from '../../../src/broker/log/record-batch.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { manualClock, tempDir, testConfig, type ManualClock } from './support.ts';

let dir: { path: string; cleanup(): Promise<void> };
let clock: ManualClock;
const logs: PartitionLog[] = [];

beforeEach(async () => {
  dir = await tempDir();
  clock = manualClock(1_000_000);
});
afterEach(async () => {
  for (const l of logs.splice(0)) await l.close();
  await dir.cleanup();
});

async function openLog(config: Partial<LogConfig>): Promise<PartitionLog> {
  const log = await PartitionLog.open(dir.path, testConfig(config), { clock, logger: silentLogger });
  logs.push(log);
  return log;
}

function batchAt(ts: number, i: number): Buffer {
  return buildRecordBatch([{ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`.padEnd(50, '-')), timestamp: BigInt(ts) }]);
}

async function segmentCount(): Promise<number> {
  return (await readdir(dir.path)).filter((n) => n.endsWith('.log')).length;
}

async function offsets(log: PartitionLog): Promise<bigint[]> {
  const r = await log.read(log.logStartOffset, 1 << 30, 'read_uncommitted');
  return splitBatches(r.records).flatMap((b) => decodeRecords(b).map((x) => x.offset));
}

describe('retention', () => {
  it('deletes whole closed segments older than retention.ms on the injected clock', async () => {
    const log = await openLog({ segmentBytes: 250, retentionMs: 60_000 });
    for (let i = 0; i < 12; i++) {
      await log.append([batchAt(clock.now(), i)]);
      clock.advance(10_000);
    }
    const before = await segmentCount();
    expect(before).toBeGreaterThan(3);
    // Now = start + 120s: records stamped before now-60s are expired when their whole segment is.
    await log.applyRetention();
    expect(await segmentCount()).toBeLessThan(before);
    expect(log.logStartOffset).toBeGreaterThan(0n);
    const cutoff = BigInt(clock.now() - 60_000);
    const remaining = await offsets(log);
    expect(remaining[0]).toBe(log.logStartOffset);
    expect(remaining.at(-1)).toBe(11n);
    // Every record stamped at or after the cutoff survives.
    const firstFresh = BigInt(Math.ceil((Number(cutoff) - 1_000_000) / 10_000));
    expect(remaining).toContain(firstFresh);
    await expect(log.read(0n, 100, 'read_uncommitted')).rejects.toSatisfy((e: unknown) => e instanceof LogError && e.errorCode === OFFSET_OUT_OF_RANGE);
  });

  it('rolls and deletes an active segment that is entirely expired', async () => {
    const log = await openLog({ retentionMs: 1_000 });
    await log.append([batchAt(clock.now(), 0)]);
    await log.append([batchAt(clock.now(), 1)]);
    clock.advance(5_000);
    await log.applyRetention();
    expect(log.logStartOffset).toBe(2n);
    expect(log.logEndOffset).toBe(2n);
    expect(await segmentCount()).toBe(1);
    expect((await log.read(2n, 100, 'read_uncommitted')).records.length).toBe(0);
    const r = await log.append([batchAt(clock.now(), 2)]);
    expect(r.baseOffset).toBe(2n);
  });

  it('deletes the oldest segments beyond retention.bytes, never the active one', async () => {
    const log = await openLog({ segmentBytes: 250, retentionBytes: 500 });
    for (let i = 0; i < 20; i++) await log.append([batchAt(clock.now(), i)]);
    await log.applyRetention();
    expect(log.sizeInBytes).toBeLessThanOrEqual(500 + 250);
    expect(log.sizeInBytes).toBeGreaterThanOrEqual(500 - 250);
    const remaining = await offsets(log);
    expect(remaining.at(-1)).toBe(19n);
    expect(remaining[0]).toBe(log.logStartOffset);
  });

  it('keeps the active segment even with retention.bytes 0', async () => {
    const log = await openLog({ segmentBytes: 250, retentionBytes: 0 });
    for (let i = 0; i < 3; i++) await log.append([batchAt(clock.now(), i)]);
    await log.applyRetention();
    expect(log.logEndOffset).toBe(3n);
    expect(log.sizeInBytes).toBeGreaterThan(0);
    expect(await segmentCount()).toBe(1);
  });

  it('does not delete data of an open transaction', async () => {
    const log = await openLog({ segmentBytes: 200, retentionMs: 1_000 });
    await log.append([buildRecordBatch([{ key: null, value: Buffer.from('txn'), timestamp: BigInt(clock.now()) }], { producerId: 5n, producerEpoch: 0, baseSequence: 0, transactional: true })]);
    for (let i = 0; i < 6; i++) await log.append([batchAt(clock.now(), i)]);
    clock.advance(10_000);
    await log.applyRetention();
    expect(log.logStartOffset).toBe(0n);
    await log.writeControlMarker({ producerId: 5n, producerEpoch: 0, commit: true, coordinatorEpoch: 0 });
    await log.applyRetention();
    expect(log.logStartOffset).toBeGreaterThan(0n);
  });

  it('does nothing for compact-only topics', async () => {
    const log = await openLog({ segmentBytes: 250, retentionMs: 1, cleanupPolicy: 'compact' });
    for (let i = 0; i < 10; i++) await log.append([batchAt(0, i)]);
    clock.advance(10_000);
    await log.applyRetention();
    expect(log.logStartOffset).toBe(0n);
  });
});

describe('deleteRecords', () => {
  it('moves the log start offset and drops whole segments below it', async () => {
    const log = await openLog({ segmentBytes: 250 });
    for (let i = 0; i < 20; i++) await log.append([batchAt(clock.now(), i)]);
    const before = await segmentCount();
    await log.deleteRecords(9n);
    expect(log.logStartOffset).toBe(9n);
    expect(await segmentCount()).toBeLessThan(before);
    expect((await offsets(log)).filter((o) => o >= 9n)[0]).toBe(9n);
    await expect(log.read(8n, 100, 'read_uncommitted')).rejects.toBeInstanceOf(LogError);
    await expect(log.deleteRecords(21n)).rejects.toBeInstanceOf(LogError);
    await log.close();
    logs.splice(0);
    const again = await openLog({ segmentBytes: 250 });
    expect(again.logStartOffset).toBe(9n);
    await again.deleteRecords(-1n);
    expect(again.logStartOffset).toBe(20n);
    expect(again.logEndOffset).toBe(20n);
  });
});
