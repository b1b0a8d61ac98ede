import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaErrorCode as E } from '../../../src/broker/group/error-codes.ts';
import { FileCoordinatorStore } from '../../../src/broker/group/file-coordinator-store.ts';
import { MemoryCoordinatorStore } from '../../../src/broker/group/memory-coordinator-store.ts';
import { harness, joinRequest, stableGroup } from './group-fixtures.ts';
import { ManualTime } from './manual-time.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-group-'));
  dirs.push(dir);
  return dir;
}

const tp = (topic: string, partition: number, offset: bigint, metadata: string | null = null) => ({ topic, partition, offset, metadata });

describe('GroupCoordinator offsets', () => {
  it('a member commits and fetches; unknown partitions come back as -1', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 1);
    const res = await h.coordinator.commitOffsets({
      groupId: 'g',
      generationId: g.generationId,
      memberId: g.memberIds[0]!,
      offsets: [tp('t', 0, 42n, 'meta'), { ...tp('t', 1, 7n), leaderEpoch: 3 }],
    });
    expect(res.map((r) => r.errorCode)).toEqual([E.NONE, E.NONE]);
    const fetched = h.coordinator.fetchOffsets({ groupId: 'g', partitions: [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }, { topic: 't', partition: 2 }], requireStable: false });
    expect(fetched.errorCode).toBe(E.NONE);
    expect(fetched.offsets.map((o) => [o.partition, o.offset, o.metadata, o.leaderEpoch])).toEqual([
      [0, 42n, 'meta', -1],
      [1, 7n, null, 3],
      [2, -1n, '', -1],
    ]);
    const all = h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    expect(all.offsets.map((o) => o.offset).sort()).toEqual([42n, 7n].sort());
  });

  it.each([
    { name: 'unknown member', memberId: 'ghost', generation: 'current', code: E.UNKNOWN_MEMBER_ID },
    { name: 'stale generation', memberId: 'member', generation: 'previous', code: E.ILLEGAL_GENERATION },
    { name: 'admin commit (generation -1) while the group has members', memberId: '', generation: 'none', code: E.UNKNOWN_MEMBER_ID },
  ])('commit rejected: $name', async ({ memberId, generation, code }) => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 1);
    const generationId = generation === 'current' ? g.generationId : generation === 'previous' ? g.generationId - 1 : -1;
    const res = await h.coordinator.commitOffsets({ groupId: 'g', generationId, memberId: memberId === 'member' ? g.memberIds[0]! : memberId, offsets: [tp('t', 0, 1n)] });
    expect(res[0]!.errorCode).toBe(code);
  });

  it('a commit during CompletingRebalance gets REBALANCE_IN_PROGRESS', async () => {
    const h = await harness();
    const join = await h.coordinator.joinGroup(joinRequest('g'));
    const res = await h.coordinator.commitOffsets({ groupId: 'g', generationId: join.generationId, memberId: join.memberId, offsets: [tp('t', 0, 1n)] });
    expect(res[0]!.errorCode).toBe(E.REBALANCE_IN_PROGRESS);
  });

  it('a simple (generation -1) commit creates an Empty group that lists and deletes', async () => {
    const h = await harness();
    const res = await h.coordinator.commitOffsets({ groupId: 'admin', generationId: -1, memberId: '', offsets: [tp('t', 0, 100n)] });
    expect(res[0]!.errorCode).toBe(E.NONE);
    expect(h.coordinator.listGroups()).toEqual([{ groupId: 'admin', protocolType: '', state: 'Empty' }]);
    expect(await h.coordinator.deleteGroups(['admin', 'missing'])).toEqual([
      { groupId: 'admin', errorCode: E.NONE },
      { groupId: 'missing', errorCode: E.GROUP_ID_NOT_FOUND },
    ]);
    expect(h.coordinator.fetchOffsets({ groupId: 'admin', partitions: null, requireStable: false }).offsets).toEqual([]);
  });

  it('a group with members cannot be deleted', async () => {
    const h = await harness();
    await stableGroup(h, 'g', 1);
    expect(await h.coordinator.deleteGroups(['g'])).toEqual([{ groupId: 'g', errorCode: E.NON_EMPTY_GROUP }]);
  });

  it('rejects commit metadata over the size limit per partition', async () => {
    const h = await harness({ offsetMetadataMaxBytes: 4 });
    const res = await h.coordinator.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', offsets: [tp('t', 0, 1n, 'small'), tp('t', 1, 1n, 'ok')] });
    expect(res.map((r) => r.errorCode)).toEqual([E.OFFSET_METADATA_TOO_LARGE, E.NONE]);
  });

  it('a commit resolves only after the store has it, and a store failure is a retriable error', async () => {
    const store = new MemoryCoordinatorStore();
    let fail = false;
    const original = store.append.bind(store);
    store.append = (entry: object) => (fail ? Promise.reject(new Error('disk full')) : original(entry));
    const h = await harness({}, store);
    fail = true;
    const res = await h.coordinator.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', offsets: [tp('t', 0, 5n)] });
    expect(res[0]!.errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    expect(h.coordinator.fetchOffsets({ groupId: 'g', partitions: [{ topic: 't', partition: 0 }], requireStable: false }).offsets[0]!.offset).toBe(-1n);
  });
});

describe('GroupCoordinator transactional offsets', () => {
  const stage = (h: Awaited<ReturnType<typeof harness>>, producerId: bigint, offset: bigint) =>
    h.coordinator.stageTxnOffsets({ transactionalId: 'tx', producerId, producerEpoch: 0, groupId: 'g', offsets: [tp('t', 0, offset)] });
  const fetch0 = (h: Awaited<ReturnType<typeof harness>>, requireStable: boolean) =>
    h.coordinator.fetchOffsets({ groupId: 'g', partitions: [{ topic: 't', partition: 0 }], requireStable }).offsets[0]!;

  it.each([
    { commit: true, visible: 50n },
    { commit: false, visible: 10n },
  ])('staged offsets are invisible until the transaction ends (commit=$commit)', async ({ commit, visible }) => {
    const h = await harness();
    await h.coordinator.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', offsets: [tp('t', 0, 10n)] });
    expect((await stage(h, 7n, 50n))[0]!.errorCode).toBe(E.NONE);
    expect(fetch0(h, false).offset).toBe(10n);
    expect(fetch0(h, true)).toMatchObject({ errorCode: E.UNSTABLE_OFFSET_COMMIT, offset: -1n });
    await h.coordinator.completeTxnOffsets(7n, 'g', commit);
    expect(fetch0(h, true)).toMatchObject({ errorCode: E.NONE, offset: visible });
  });

  it('a plain commit made after the staged offset wins when the transaction commits', async () => {
    const h = await harness();
    await stage(h, 7n, 50n);
    await h.coordinator.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', offsets: [tp('t', 0, 60n)] });
    await h.coordinator.completeTxnOffsets(7n, 'g', true);
    expect(fetch0(h, false).offset).toBe(60n);
  });

  it('staged offsets and their completion survive a reload', async () => {
    const store = new MemoryCoordinatorStore();
    const h1 = await harness({}, store);
    await stage(h1, 7n, 50n);
    await stage(h1, 8n, 70n);
    await h1.coordinator.close();

    const h2 = await harness({}, store);
    expect(fetch0(h2, true).errorCode).toBe(E.UNSTABLE_OFFSET_COMMIT);
    await h2.coordinator.completeTxnOffsets(7n, 'g', true);
    await h2.coordinator.completeTxnOffsets(8n, 'g', false);
    await h2.coordinator.close();

    const h3 = await harness({}, store);
    expect(fetch0(h3, true)).toMatchObject({ errorCode: E.NONE, offset: 50n });
  });
});

describe('GroupCoordinator persistence', () => {
  it('committed offsets and generations survive a restart on the file store', async () => {
    const path = join(await tempDir(), 'groups.log');
    const time = new ManualTime();
    const h1 = await harness({}, await FileCoordinatorStore.open(path), time);
    const g = await stableGroup(h1, 'g', 1);
    await h1.coordinator.commitOffsets({ groupId: 'g', generationId: g.generationId, memberId: g.memberIds[0]!, offsets: [tp('t', 0, 9_007_199_254_740_993n, 'm')] });
    await h1.coordinator.close();
    await (h1.store as FileCoordinatorStore).close();

    const h2 = await harness({}, await FileCoordinatorStore.open(path), time);
    const fetched = h2.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    expect(fetched.offsets).toEqual([{ topic: 't', partition: 0, offset: 9_007_199_254_740_993n, metadata: 'm', leaderEpoch: -1, errorCode: E.NONE }]);
    // The Stable group comes back with its member; once that member's session lapses it is removed,
    // and generations keep growing past the old one.
    expect(h2.coordinator.describeGroup('g')).toMatchObject({ state: 'Stable', protocolType: 'consumer', members: [{ memberId: g.memberIds[0] }] });
    time.advance(10_000);
    expect(h2.coordinator.describeGroup('g')).toMatchObject({ state: 'Empty', members: [] });
    const again = await stableGroup(h2, 'g', 1);
    expect(again.generationId).toBeGreaterThan(g.generationId);
    await h2.coordinator.close();
    await (h2.store as FileCoordinatorStore).close();
  });

  it('compaction keeps exactly the live state', async () => {
    const path = join(await tempDir(), 'groups.log');
    const store = await FileCoordinatorStore.open(path);
    const h1 = await harness({ compactAfterAppends: 5 }, store);
    for (let i = 0; i < 12; i++) {
      await h1.coordinator.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', offsets: [tp('t', i % 2, BigInt(i))] });
    }
    await h1.coordinator.stageTxnOffsets({ transactionalId: 'tx', producerId: 3n, producerEpoch: 1, groupId: 'g', offsets: [tp('t', 0, 99n)] });
    await h1.coordinator.commitOffsets({ groupId: 'gone', generationId: -1, memberId: '', offsets: [tp('t', 0, 1n)] });
    await h1.coordinator.deleteGroups(['gone']);
    await h1.coordinator.close();
    await store.close();

    const entries = await (await FileCoordinatorStore.open(path)).load();
    expect(entries.length).toBeLessThan(15);
    const h2 = await harness({}, await FileCoordinatorStore.open(path));
    const offsets = h2.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false }).offsets;
    expect(offsets.map((o) => [o.partition, o.offset]).sort()).toEqual([
      [0, 10n],
      [1, 11n],
    ]);
    expect(h2.coordinator.fetchOffsets({ groupId: 'g', partitions: [{ topic: 't', partition: 0 }], requireStable: true }).offsets[0]!.errorCode).toBe(E.UNSTABLE_OFFSET_COMMIT);
    expect(h2.coordinator.listGroups().map((g) => g.groupId)).toEqual(['g']);
  });
});
