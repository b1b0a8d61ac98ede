import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INVALID_PRODUCER_EPOCH,
  INVALID_TXN_STATE,
  LogError,
  OUT_OF_ORDER_SEQUENCE_NUMBER,
  TRANSACTION_COORDINATOR_FENCED,
} from '../../../src/broker/log/errors.ts';
import { PartitionLog } from '../../../src/broker/log/partition-log.ts';
import { buildRecordBatch, decodeRecords, splitBatches } from '../../../src/broker/log/record-batch.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { kafkajsBatch, manualClock, tempDir, testConfig } from './support.ts';

let dir: { path: string; cleanup(): Promise<void> };
let log: PartitionLog;
const clock = manualClock();

beforeEach(async () => {
  dir = await tempDir();
  log = await PartitionLog.open(dir.path, testConfig(), { clock, logger: silentLogger });
});
afterEach(async () => {
  await log.close();
  await dir.cleanup();
});

function idem(pid: bigint, epoch: number, seq: number, count = 1, transactional = false): Buffer {
  return buildRecordBatch(
    Array.from({ length: count }, (_, i) => ({ key: Buffer.from('k'), value: Buffer.from(`p${pid}e${epoch}s${seq + i}`), timestamp: 1000n })),
    { producerId: pid, producerEpoch: epoch, baseSequence: seq, transactional },
  );
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

async function allValues(): Promise<string[]> {
  const r = await log.read(log.logStartOffset, 1 << 20, 'read_uncommitted');
  return splitBatches(r.records).flatMap((b) => decodeRecords(b).map((x) => x.value?.toString() ?? ''));
}

describe('idempotent producers', () => {
  it('returns the original offsets for a retried batch and writes nothing', async () => {
    await log.append([idem(1n, 0, 0, 2)]);
    await log.append([idem(2n, 0, 0)]);
    const second = await log.append([idem(1n, 0, 2, 3)]);
    const retry = await log.append([idem(1n, 0, 2, 3)]);
    expect(retry).toMatchObject({ duplicate: true, baseOffset: second.baseOffset, lastOffset: second.lastOffset });
    const retryFirst = await log.append([idem(1n, 0, 0, 2)]);
    expect(retryFirst).toMatchObject({ duplicate: true, baseOffset: 0n, lastOffset: 1n });
    expect(log.logEndOffset).toBe(6n);
    expect(await allValues()).toHaveLength(6);
  });

  it('detects duplicates of kafkajs-encoded batches', async () => {
    const b = await kafkajsBatch([{ key: 'a', value: '1', timestamp: 1 }], { producerId: 5n, producerEpoch: 0, firstSequence: 0 });
    const first = await log.append([b]);
    const again = await log.append([Buffer.from(b)]);
    expect(again).toMatchObject({ duplicate: true, baseOffset: first.baseOffset });
  });

  it('remembers only the last five batches', async () => {
    for (let s = 0; s < 7; s++) await log.append([idem(1n, 0, s)]);
    expect((await log.append([idem(1n, 0, 2)])).duplicate).toBe(true);
    expect(await codeOf(log.append([idem(1n, 0, 1)]))).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);
  });

  it('rejects a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
    await log.append([idem(1n, 0, 0)]);
    expect(await codeOf(log.append([idem(1n, 0, 2)]))).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(log.logEndOffset).toBe(1n);
    await log.append([idem(1n, 0, 1)]);
  });

  it('accepts any first sequence from an unknown producer, as Kafka does', async () => {
    const r = await log.append([idem(9n, 3, 17)]);
    expect(r.duplicate).toBe(false);
    await log.append([idem(9n, 3, 18)]);
  });

  it('rejects an older epoch with INVALID_PRODUCER_EPOCH', async () => {
    await log.append([idem(1n, 2, 0)]);
    expect(await codeOf(log.append([idem(1n, 1, 1)]))).toBe(INVALID_PRODUCER_EPOCH);
    expect(log.producerEpoch(1n)).toBe(2);
  });

  it('requires a new epoch to start at sequence 0', async () => {
    await log.append([idem(1n, 0, 0)]);
    await log.append([idem(1n, 0, 1)]);
    expect(await codeOf(log.append([idem(1n, 1, 5)]))).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);
    await log.append([idem(1n, 1, 0)]);
    expect(log.producerEpoch(1n)).toBe(1);
    // The old epoch is fenced now.
    expect(await codeOf(log.append([idem(1n, 0, 2)]))).toBe(INVALID_PRODUCER_EPOCH);
  });

  it('wraps sequences at 2^31-1', async () => {
    await log.append([idem(1n, 0, 0x7fffffff - 1, 2)]);
    await log.append([idem(1n, 0, 0)]);
    expect(log.logEndOffset).toBe(3n);
  });

  it('keeps sequence state across a restart (snapshot) and an unclean restart (replay)', async () => {
    await log.append([idem(1n, 0, 0, 2)]);
    await log.close();
    log = await PartitionLog.open(dir.path, testConfig(), { clock, logger: silentLogger });
    expect((await log.append([idem(1n, 0, 0, 2)])).duplicate).toBe(true);
    expect(await codeOf(log.append([idem(1n, 0, 5)]))).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);
    await log.append([idem(1n, 0, 2)]);
    // Unclean: open a second instance over the same directory without closing the first.
    const other = await PartitionLog.open(dir.path, testConfig(), { clock, logger: silentLogger });
    try {
      expect((await other.append([idem(1n, 0, 2)])).duplicate).toBe(true);
      expect(await codeOf(other.append([idem(1n, 0, 4)]))).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);
    } finally {
      await other.abandon();
    }
  });
});

describe('transactions', () => {
  it('tracks open transactions, the LSO and read_committed visibility', async () => {
    await log.append([idem(1n, 0, 0, 1)]); // offset 0, non-transactional
    await log.append([idem(10n, 0, 0, 2, true)]); // offsets 1-2, txn A
    await log.append([idem(20n, 0, 0, 1, true)]); // offset 3, txn B
    await log.append([idem(2n, 0, 0, 1)]); // offset 4
    expect(log.ongoingTransactions()).toEqual([
      { producerId: 10n, producerEpoch: 0, firstOffset: 1n },
      { producerId: 20n, producerEpoch: 0, firstOffset: 3n },
    ]);
    expect(log.lastStableOffset).toBe(1n);
    const committed = await log.read(0n, 1 << 20, 'read_committed');
    expect(committed.lastStableOffset).toBe(1n);
    expect(splitBatches(committed.records)).toHaveLength(1);
    expect((await log.read(1n, 1 << 20, 'read_committed')).records.length).toBe(0);
    expect(splitBatches((await log.read(0n, 1 << 20, 'read_uncommitted')).records)).toHaveLength(4);

    const commitOffset = await log.writeControlMarker({ producerId: 10n, producerEpoch: 0, commit: true, coordinatorEpoch: 0 });
    expect(commitOffset).toBe(5n);
    expect(log.lastStableOffset).toBe(3n);
    const abortOffset = await log.writeControlMarker({ producerId: 20n, producerEpoch: 0, commit: false, coordinatorEpoch: 0 });
    expect(abortOffset).toBe(6n);
    expect(log.lastStableOffset).toBe(7n);
    expect(log.ongoingTransactions()).toEqual([]);

    const all = await log.read(0n, 1 << 20, 'read_committed');
    expect(splitBatches(all.records)).toHaveLength(6);
    expect(all.abortedTransactions).toEqual([{ producerId: 20n, firstOffset: 3n }]);
    // A fetch that starts after the aborted range does not list it.
    expect((await log.read(7n, 1 << 20, 'read_committed')).abortedTransactions).toEqual([]);
    // One that ends before it does not either.
    expect((await log.read(0n, 1, 'read_committed')).abortedTransactions).toEqual([]);
  });

  it('rejects a non-transactional write while the producer has an open transaction', async () => {
    await log.append([idem(10n, 0, 0, 1, true)]);
    expect(await codeOf(log.append([idem(10n, 0, 1, 1, false)]))).toBe(INVALID_TXN_STATE);
  });

  it('fences markers with an old producer or coordinator epoch', async () => {
    await log.append([idem(10n, 3, 0, 1, true)]);
    expect(await codeOf(log.writeControlMarker({ producerId: 10n, producerEpoch: 2, commit: true, coordinatorEpoch: 0 }))).toBe(INVALID_PRODUCER_EPOCH);
    await log.writeControlMarker({ producerId: 10n, producerEpoch: 4, commit: false, coordinatorEpoch: 5 });
    expect(log.producerEpoch(10n)).toBe(4);
    await log.append([idem(10n, 4, 0, 1, true)]);
    expect(await codeOf(log.writeControlMarker({ producerId: 10n, producerEpoch: 4, commit: true, coordinatorEpoch: 4 }))).toBe(TRANSACTION_COORDINATOR_FENCED);
  });

  it('rebuilds open and aborted transactions after clean and unclean restarts', async () => {
    await log.append([idem(10n, 0, 0, 2, true)]); // 0-1
    await log.writeControlMarker({ producerId: 10n, producerEpoch: 0, commit: false, coordinatorEpoch: 0 }); // 2
    await log.append([idem(11n, 0, 0, 1, true)]); // 3, left open
    const expectState = async (l: PartitionLog): Promise<void> => {
      expect(l.lastStableOffset).toBe(3n);
      expect(l.ongoingTransactions()).toEqual([{ producerId: 11n, producerEpoch: 0, firstOffset: 3n }]);
      expect((await l.read(0n, 1 << 20, 'read_committed')).abortedTransactions).toEqual([{ producerId: 10n, firstOffset: 0n }]);
    };
    await expectState(log);
    const unclean = await PartitionLog.open(dir.path, testConfig(), { clock, logger: silentLogger });
    await expectState(unclean);
    await unclean.abandon();
    await log.close();
    log = await PartitionLog.open(dir.path, testConfig(), { clock, logger: silentLogger });
    await expectState(log);
    await log.writeControlMarker({ producerId: 11n, producerEpoch: 0, commit: true, coordinatorEpoch: 0 });
    expect(log.lastStableOffset).toBe(5n);
  });

  it('lists aborted transactions across segment rolls', async () => {
    await log.close();
    log = await PartitionLog.open(dir.path, testConfig({ segmentBytes: 200 }), { clock, logger: silentLogger });
    for (let i = 0; i < 3; i++) await log.append([idem(10n, 0, i, 1, true)]);
    await log.writeControlMarker({ producerId: 10n, producerEpoch: 0, commit: false, coordinatorEpoch: 0 });
    await log.append([idem(1n, 0, 0)]);
    const r = await log.read(1n, 1 << 20, 'read_committed');
    expect(r.abortedTransactions).toEqual([{ producerId: 10n, firstOffset: 0n }]);
    await log.close();
    log = await PartitionLog.open(dir.path, testConfig({ segmentBytes: 200 }), { clock, logger: silentLogger });
    expect((await log.read(1n, 1 << 20, 'read_committed')).abortedTransactions).toEqual([{ producerId: 10n, firstOffset: 0n }]);
  });
});
