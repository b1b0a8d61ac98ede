import { describe, expect, it } from 'vitest';
import { KafkaErrorCode as E } from '../../../src/broker/group/error-codes.ts';
import { MemoryCoordinatorStore } from '../../../src/broker/group/memory-coordinator-store.ts';
import { fencedErrorFor } from '../../../src/broker/txn/fenced-error.ts';
import { settle } from '../group/manual-time.ts';
import { committedOffset, init, newStores, ongoingTxn, txnHarness } from './txn-fixtures.ts';

describe('TransactionCoordinator InitProducerId', () => {
  it('gives idempotent producers a fresh id at epoch 0 every time', async () => {
    const h = await txnHarness();
    const a = await h.txn.initProducerId({ transactionalId: null, transactionTimeoutMs: 0, producerId: -1n, producerEpoch: -1 });
    const b = await h.txn.initProducerId({ transactionalId: null, transactionTimeoutMs: 0, producerId: -1n, producerEpoch: -1 });
    expect(a).toMatchObject({ errorCode: E.NONE, producerEpoch: 0 });
    expect(b).toMatchObject({ errorCode: E.NONE, producerEpoch: 0 });
    expect(a.producerId).not.toBe(b.producerId);
  });

  it.each([
    { name: 'empty transactional id', req: { transactionalId: '' }, code: E.INVALID_REQUEST },
    { name: 'zero timeout', req: { transactionTimeoutMs: 0 }, code: E.INVALID_TRANSACTION_TIMEOUT },
    { name: 'timeout above the maximum', req: { transactionTimeoutMs: 900_001 }, code: E.INVALID_TRANSACTION_TIMEOUT },
  ])('rejects $name', async ({ req, code }) => {
    const h = await txnHarness();
    const res = await h.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1, ...req });
    expect(res).toEqual({ errorCode: code, producerId: -1n, producerEpoch: -1 });
  });

  it('maps a transactional id to one producer id and bumps the epoch on every init, fencing the previous one', async () => {
    const h = await txnHarness();
    const first = await init(h, 'tx');
    const second = await init(h, 'tx');
    expect(first.producerEpoch).toBe(0);
    expect(second).toEqual({ producerId: first.producerId, producerEpoch: 1 });

    const stale = { transactionalId: 'tx', ...first };
    expect((await h.txn.addPartitionsToTxn({ ...stale, partitions: [{ topic: 't', partition: 0 }] }))[0]!.errorCode).toBe(E.PRODUCER_FENCED);
    expect((await h.txn.addOffsetsToTxn({ ...stale, groupId: 'g' })).errorCode).toBe(E.PRODUCER_FENCED);
    expect((await h.txn.endTxn({ ...stale, commit: true })).errorCode).toBe(E.PRODUCER_FENCED);
    expect((await h.txn.txnOffsetCommit({ ...stale, groupId: 'g', offsets: [{ topic: 'in', partition: 0, offset: 1n, metadata: null }] }))[0]!.errorCode).toBe(
      E.INVALID_PRODUCER_EPOCH,
    );
    const wrongId = { transactionalId: 'tx', producerId: first.producerId + 100n, producerEpoch: 1 };
    expect((await h.txn.endTxn({ ...wrongId, commit: true })).errorCode).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    expect((await h.txn.endTxn({ transactionalId: 'unknown', producerId: 1n, producerEpoch: 0, commit: true })).errorCode).toBe(E.INVALID_PRODUCER_ID_MAPPING);
  });

  it('KIP-360: a producer naming its current id and epoch gets a bump; a lost-reply retry gets the same epoch; others are fenced', async () => {
    const h = await txnHarness();
    const p0 = await init(h, 'tx');
    const initWith = (producerId: bigint, producerEpoch: number) => h.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId, producerEpoch });

    const bumped = await initWith(p0.producerId, p0.producerEpoch);
    expect(bumped).toEqual({ errorCode: E.NONE, producerId: p0.producerId, producerEpoch: 1 });
    const retried = await initWith(p0.producerId, p0.producerEpoch);
    expect(retried).toEqual({ errorCode: E.NONE, producerId: p0.producerId, producerEpoch: 1 });

    const cases = [
      { name: 'an epoch that is neither current nor previous', producerId: p0.producerId, producerEpoch: 7 },
      { name: 'another producer id', producerId: p0.producerId + 1n, producerEpoch: 1 },
    ];
    for (const c of cases) expect((await initWith(c.producerId, c.producerEpoch)).errorCode, c.name).toBe(E.PRODUCER_FENCED);
  });

  it('rotates to a new producer id when the epoch is exhausted, and recognises the retry', async () => {
    const stores = newStores();
    // A transactional id that has been re-initialized 32766 times.
    await stores.txns.append({
      t: 'txn',
      transactionalId: 'tx',
      producerId: '500',
      lastProducerId: '-1',
      producerEpoch: 32766,
      lastProducerEpoch: -1,
      timeoutMs: 60_000,
      state: 'CompleteCommit',
      partitions: [],
      groups: [],
      startMs: -1,
      updateMs: 0,
    });
    const h = await txnHarness({}, stores);
    const rotated = await h.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId: 500n, producerEpoch: 32766 });
    expect(rotated.errorCode).toBe(E.NONE);
    expect(rotated.producerId).not.toBe(500n);
    expect(rotated.producerEpoch).toBe(0);
    const retry = await h.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId: 500n, producerEpoch: 32766 });
    expect(retry).toEqual(rotated);
    expect((await h.txn.endTxn({ transactionalId: 'tx', producerId: 500n, producerEpoch: 32766, commit: true })).errorCode).toBe(E.INVALID_PRODUCER_ID_MAPPING);
  });

  it('aborts the ongoing transaction of the replaced producer before replying: abort markers, offsets dropped', async () => {
    const h = await txnHarness();
    const old = await init(h, 'tx');
    await ongoingTxn(h, 'tx', old);
    expect(h.markers.written).toEqual([]);

    const next = await init(h, 'tx');
    expect(h.markers.written).toEqual([
      { partitions: [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }], producerId: old.producerId, producerEpoch: old.producerEpoch + 1, commit: false, coordinatorEpoch: 1 },
    ]);
    // The abort used epoch+1 to fence the old producer at the partitions; the new producer gets epoch+2.
    expect(next).toEqual({ producerId: old.producerId, producerEpoch: old.producerEpoch + 2 });
    expect(committedOffset(h, true)).toEqual({ offset: -1n, errorCode: E.NONE });
    expect(h.txn.describe()).toEqual([
      expect.objectContaining({ transactionalId: 'tx', state: 'Empty', producerEpoch: old.producerEpoch + 2, partitions: [], groups: [] }),
    ]);
  });
});

describe('TransactionCoordinator transactions', () => {
  it.each([
    { commit: true, markerCommit: true, offset: 5n, finalState: 'CompleteCommit' },
    { commit: false, markerCommit: false, offset: -1n, finalState: 'CompleteAbort' },
  ])('EndTxn(commit=$commit) writes markers and completes staged offsets before replying', async ({ commit, markerCommit, offset, finalState }) => {
    const h = await txnHarness();
    const p = await init(h, 'tx');
    await ongoingTxn(h, 'tx', p);
    expect(committedOffset(h, true).errorCode).toBe(E.UNSTABLE_OFFSET_COMMIT);
    expect(h.txn.describe()[0]).toMatchObject({ state: 'Ongoing', groups: ['g'], startTimeMs: h.time.now() });

    expect(await h.txn.endTxn({ transactionalId: 'tx', ...p, commit })).toEqual({ errorCode: E.NONE });
    expect(h.markers.written).toHaveLength(1);
    expect(h.markers.written[0]).toMatchObject({ producerId: p.producerId, producerEpoch: p.producerEpoch, commit: markerCommit });
    expect(committedOffset(h, true)).toEqual({ offset, errorCode: E.NONE });
    expect(h.txn.describe()[0]).toMatchObject({ state: finalState, partitions: [], groups: [], startTimeMs: -1 });

    // The same EndTxn retried (its reply lost) succeeds without new markers; the opposite one is refused.
    expect(await h.txn.endTxn({ transactionalId: 'tx', ...p, commit })).toEqual({ errorCode: E.NONE });
    expect(await h.txn.endTxn({ transactionalId: 'tx', ...p, commit: !commit })).toEqual({ errorCode: E.INVALID_TXN_STATE });
    expect(h.markers.written).toHaveLength(1);
  });

  it('runs consecutive transactions on one producer epoch', async () => {
    const h = await txnHarness();
    const p = await init(h, 'tx');
    await ongoingTxn(h, 'tx', p, 5n);
    await h.txn.endTxn({ transactionalId: 'tx', ...p, commit: true });
    await ongoingTxn(h, 'tx', p, 9n);
    await h.txn.endTxn({ transactionalId: 'tx', ...p, commit: true });
    expect(committedOffset(h)).toEqual({ offset: 9n, errorCode: E.NONE });
    expect(h.markers.written.map((m) => m.commit)).toEqual([true, true]);
  });

  it.each([
    { name: 'EndTxn with no transaction', run: 'endTxn', code: E.INVALID_TXN_STATE },
    { name: 'TxnOffsetCommit for a group never added', run: 'offsets', code: E.INVALID_TXN_STATE },
  ])('refuses $name', async ({ run, code }) => {
    const h = await txnHarness();
    const p = await init(h, 'tx');
    if (run === 'endTxn') {
      expect((await h.txn.endTxn({ transactionalId: 'tx', ...p, commit: true })).errorCode).toBe(code);
    } else {
      await h.txn.addPartitionsToTxn({ transactionalId: 'tx', ...p, partitions: [{ topic: 't', partition: 0 }] });
      const res = await h.txn.txnOffsetCommit({ transactionalId: 'tx', ...p, groupId: 'g', offsets: [{ topic: 'in', partition: 0, offset: 1n, metadata: null }] });
      expect(res[0]!.errorCode).toBe(code);
    }
  });

  it('serializes concurrent requests for one transactional id', async () => {
    const h = await txnHarness();
    const p = await init(h, 'tx');
    const ids = { transactionalId: 'tx', ...p };
    const results = await Promise.all([
      h.txn.addPartitionsToTxn({ ...ids, partitions: [{ topic: 't', partition: 0 }] }),
      h.txn.addPartitionsToTxn({ ...ids, partitions: [{ topic: 't', partition: 1 }] }),
      h.txn.endTxn({ ...ids, commit: true }),
    ]);
    expect(results[2]).toEqual({ errorCode: E.NONE });
    expect(h.markers.written[0]!.partitions).toEqual([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
  });

  it('a failed marker write leaves the decision durable; the retried EndTxn finishes it', async () => {
    const h = await txnHarness();
    const p = await init(h, 'tx');
    await ongoingTxn(h, 'tx', p);
    h.markers.failNext = 1;
    expect(await h.txn.endTxn({ transactionalId: 'tx', ...p, commit: true })).toEqual({ errorCode: E.COORDINATOR_NOT_AVAILABLE });
    expect(h.txn.describe()[0]!.state).toBe('PrepareCommit');
    expect((await h.txn.addPartitionsToTxn({ transactionalId: 'tx', ...p, partitions: [{ topic: 't', partition: 2 }] }))[0]!.errorCode).toBe(E.NONE);
    // The AddPartitions above first finished the prepared commit, then began the next transaction.
    expect(h.markers.written).toEqual([expect.objectContaining({ commit: true })]);
    expect(committedOffset(h)).toEqual({ offset: 5n, errorCode: E.NONE });
  });
});

describe('TransactionCoordinator timeouts and recovery', () => {
  it('aborts a transaction that outlives its timeout and fences the zombie producer', async () => {
    const h = await txnHarness({ abortCheckIntervalMs: 1_000 });
    const p = await init(h, 'tx', 10_000);
    await ongoingTxn(h, 'tx', p);
    h.time.advance(10_000);
    await settle();
    expect(h.markers.written).toEqual([]);
    h.time.advance(1_000);
    await settle();
    expect(h.markers.written).toEqual([expect.objectContaining({ commit: false, producerEpoch: p.producerEpoch + 1 })]);
    expect(committedOffset(h, true)).toEqual({ offset: -1n, errorCode: E.NONE });
    expect(h.txn.describe()[0]).toMatchObject({ state: 'CompleteAbort', producerEpoch: p.producerEpoch + 1 });
    expect((await h.txn.endTxn({ transactionalId: 'tx', ...p, commit: true })).errorCode).toBe(E.PRODUCER_FENCED);
    // A restarted producer initializes normally on top of the fenced epoch.
    expect(await init(h, 'tx')).toEqual({ producerId: p.producerId, producerEpoch: p.producerEpoch + 2 });
    await h.close();
  });

  it('completes a transaction found in PrepareCommit on load, with a newer coordinator epoch', async () => {
    const stores = newStores();
    const h1 = await txnHarness({}, stores);
    const p = await init(h1, 'tx');
    await ongoingTxn(h1, 'tx', p);
    h1.markers.failNext = 1;
    expect((await h1.txn.endTxn({ transactionalId: 'tx', ...p, commit: true })).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    await h1.close(); // the "crash": PrepareCommit is durable, markers never written

    const h2 = await txnHarness({}, stores);
    expect(h2.markers.written).toEqual([
      { partitions: [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }], producerId: p.producerId, producerEpoch: p.producerEpoch, commit: true, coordinatorEpoch: 2 },
    ]);
    expect(committedOffset(h2, true)).toEqual({ offset: 5n, errorCode: E.NONE });
    expect(h2.txn.describe()[0]!.state).toBe('CompleteCommit');
    expect(await h2.txn.endTxn({ transactionalId: 'tx', ...p, commit: true })).toEqual({ errorCode: E.NONE });
    await h2.close();
  });

  it('keeps an Ongoing transaction across a restart and aborts it when its timeout passes', async () => {
    const stores = newStores();
    const h1 = await txnHarness({}, stores);
    const p = await init(h1, 'tx', 20_000);
    await ongoingTxn(h1, 'tx', p);
    await h1.close();

    const h2 = await txnHarness({}, stores, h1.time);
    expect(h2.txn.describe()[0]!.state).toBe('Ongoing');
    expect(committedOffset(h2, true).errorCode).toBe(E.UNSTABLE_OFFSET_COMMIT);
    h2.time.advance(21_000);
    await settle();
    expect(h2.markers.written).toEqual([expect.objectContaining({ commit: false, producerEpoch: p.producerEpoch + 1 })]);
    expect(committedOffset(h2, true)).toEqual({ offset: -1n, errorCode: E.NONE });
    await h2.close();
  });

  it('keeps the transactional id mapping across a restart', async () => {
    const stores = newStores();
    const h1 = await txnHarness({}, stores);
    const first = await init(h1, 'tx');
    await h1.close();
    const h2 = await txnHarness({}, stores);
    expect(await init(h2, 'tx')).toEqual({ producerId: first.producerId, producerEpoch: first.producerEpoch + 1 });
    await h2.close();
  });

  it('compaction keeps one entry per transactional id', async () => {
    const stores = newStores();
    const h1 = await txnHarness({ compactAfterAppends: 10 }, stores);
    for (let i = 0; i < 8; i++) {
      const p = await init(h1, `tx-${i % 2}`);
      await ongoingTxn(h1, `tx-${i % 2}`, p, BigInt(i));
      await h1.txn.endTxn({ transactionalId: `tx-${i % 2}`, ...p, commit: true });
    }
    await h1.close();
    const entries = await stores.txns.load();
    expect(entries.length).toBeLessThan(20);
    const h2 = await txnHarness({}, stores);
    expect(h2.txn.describe().map((d) => [d.transactionalId, d.producerEpoch, d.state])).toEqual([
      ['tx-0', 3, 'CompleteCommit'],
      ['tx-1', 3, 'CompleteCommit'],
    ]);
    expect(committedOffset(h2)).toEqual({ offset: 7n, errorCode: E.NONE });
    await h2.close();
  });

  it('close stops the timeout check', async () => {
    const h = await txnHarness();
    await h.close();
    expect(h.time.pendingTimers()).toBe(0);
    expect((await h.txn.endTxn({ transactionalId: 'tx', producerId: 1n, producerEpoch: 0, commit: true })).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
  });
});

describe('TransactionCoordinator verifyProduce', () => {
  it('lets only the current producer write, and only to partitions in its ongoing transaction', async () => {
    const h = await txnHarness();
    const first = await init(h, 'tx');
    const t0 = { topic: 't', partition: 0 };
    const t1 = { topic: 't', partition: 1 };
    expect(h.txn.verifyProduce('tx', first.producerId, first.producerEpoch, t0), 'before AddPartitionsToTxn').toBe(E.INVALID_TXN_STATE);
    await h.txn.addPartitionsToTxn({ transactionalId: 'tx', ...first, partitions: [t0] });
    expect(h.txn.verifyProduce('tx', first.producerId, first.producerEpoch, t0)).toBe(E.NONE);
    expect(h.txn.verifyProduce('tx', first.producerId, first.producerEpoch, t1), 'a partition not added').toBe(E.INVALID_TXN_STATE);
    expect(h.txn.verifyProduce('tx', first.producerId + 1n, first.producerEpoch, t0)).toBe(E.INVALID_PRODUCER_ID_MAPPING);
    expect(h.txn.verifyProduce('other', first.producerId, first.producerEpoch, t0)).toBe(E.INVALID_PRODUCER_ID_MAPPING);

    const second = await init(h, 'tx');
    // Produce has no PRODUCER_FENCED at any version this broker serves.
    expect(h.txn.verifyProduce('tx', first.producerId, first.producerEpoch, t0), 'the fenced producer').toBe(E.INVALID_PRODUCER_EPOCH);
    expect(h.txn.verifyProduce('tx', first.producerId, first.producerEpoch, t1), 'the fenced producer').toBe(E.INVALID_PRODUCER_EPOCH);
    expect(h.txn.verifyProduce('tx', second.producerId, second.producerEpoch, t0), 'the new producer before adding').toBe(E.INVALID_TXN_STATE);

    await h.txn.addPartitionsToTxn({ transactionalId: 'tx', ...second, partitions: [t1] });
    await h.txn.endTxn({ transactionalId: 'tx', ...second, commit: true });
    expect(h.txn.verifyProduce('tx', second.producerId, second.producerEpoch, t1), 'after EndTxn').toBe(E.INVALID_TXN_STATE);
  });
});

describe('fencedErrorFor', () => {
  it.each([
    { api: 'InitProducerId', version: 3, code: E.INVALID_PRODUCER_EPOCH },
    { api: 'InitProducerId', version: 4, code: E.PRODUCER_FENCED },
    { api: 'EndTxn', version: 1, code: E.INVALID_PRODUCER_EPOCH },
    { api: 'EndTxn', version: 2, code: E.PRODUCER_FENCED },
    { api: 'AddPartitionsToTxn', version: 1, code: E.INVALID_PRODUCER_EPOCH },
    { api: 'AddOffsetsToTxn', version: 2, code: E.PRODUCER_FENCED },
  ] as const)('$api v$version answers PRODUCER_FENCED as $code', ({ api, version, code }) => {
    expect(fencedErrorFor(api, version, E.PRODUCER_FENCED)).toBe(code);
    expect(fencedErrorFor(api, version, E.NONE)).toBe(E.NONE);
  });
});

describe('a store that cannot be written', () => {
  it('answers InitProducerId with a retriable error and keeps no state', async () => {
    const stores = newStores();
    const h = await txnHarness({}, stores);
    const txns = stores.txns as MemoryCoordinatorStore;
    txns.append = () => Promise.reject(new Error('disk full'));
    const res = await h.txn.initProducerId({ transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
    expect(res.errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    expect(h.txn.describe()).toEqual([]);
  });
});
