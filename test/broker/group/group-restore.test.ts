/**
 * A group coordinator reloaded from its store (a broker restart) carries on with the Stable groups it
 * had: same members, generation, leader and assignments, with fresh session deadlines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoordinatorStore } from '../../../src/broker/group/coordinator-store.ts';
import { KafkaErrorCode as E } from '../../../src/broker/group/error-codes.ts';
import { FileCoordinatorStore } from '../../../src/broker/group/file-coordinator-store.ts';
import { MemoryCoordinatorStore } from '../../../src/broker/group/memory-coordinator-store.ts';
import { harness, joinRequest, stableGroup, syncAll, track, type Harness } from './group-fixtures.ts';
import { ManualTime, settle } from './manual-time.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** The coordinator a restarted broker would build: same store, same clock, nothing kept in memory. */
async function restart(h: Harness): Promise<Harness> {
  await h.coordinator.close();
  return harness({}, h.store, h.time);
}

/** A store whose appends wait until the test releases them (or fail, once `fail` is set). */
class GatedStore extends MemoryCoordinatorStore {
  private gates: Array<() => void> = [];
  gated = false;
  fail = false;

  override async append(entry: object): Promise<void> {
    if (this.gated) await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.fail) throw new Error('disk full');
    return super.append(entry);
  }

  release(): void {
    for (const open of this.gates.splice(0)) open();
  }

  get waiting(): number {
    return this.gates.length;
  }
}

describe('GroupCoordinator restart', () => {
  it('restores a Stable group: heartbeats, commits, syncs and follower joins go on as before', async () => {
    const h1 = await harness();
    const g = await stableGroup(h1, 'g', 2);
    const [a, b] = g.memberIds as [string, string];
    const follower = g.leader === a ? b : a;
    const h2 = await restart(h1);

    const described = h2.coordinator.describeGroup('g');
    expect(described).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'range' });
    expect(described.members.map((m) => [m.memberId, m.assignment.toString(), m.metadata.toString()]).sort()).toEqual(
      [a, b].sort().map((id) => [id, id, 'meta']),
    );
    for (const memberId of [a, b]) {
      expect(h2.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId, groupInstanceId: null }).errorCode).toBe(E.NONE);
    }
    const committed = await h2.coordinator.commitOffsets({
      groupId: 'g',
      generationId: g.generationId,
      memberId: a,
      offsets: [{ topic: 't', partition: 0, offset: 5n, metadata: null }],
    });
    expect(committed[0]!.errorCode).toBe(E.NONE);
    expect(await h2.coordinator.syncGroup({ groupId: 'g', generationId: g.generationId, memberId: b, groupInstanceId: null, assignments: [] })).toEqual({
      errorCode: E.NONE,
      assignment: Buffer.from(b),
    });
    // A follower rejoining with unchanged metadata gets the current generation back, no rebalance.
    const rejoin = await h2.coordinator.joinGroup(joinRequest('g', { memberId: follower }));
    expect(rejoin).toMatchObject({ errorCode: E.NONE, generationId: g.generationId, leader: g.leader, memberId: follower, members: [] });
    expect(h2.coordinator.describeGroup('g').state).toBe('Stable');
    // A stale generation is still refused.
    expect(h2.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId - 1, memberId: a, groupInstanceId: null }).errorCode).toBe(E.ILLEGAL_GENERATION);
  });

  it('a restored member that never returns expires one session after the load, and the rest rebalance', async () => {
    const h1 = await harness();
    const g = await stableGroup(h1, 'g', 2);
    const [stays, gone] = g.memberIds as [string, string];
    h1.time.advance(9_000); // long after the members' last heartbeats before the restart
    const h2 = await restart(h1);

    // The session (10 s) counts from the load, not from the last heartbeat before the restart.
    h2.time.advance(5_000);
    expect(h2.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: stays, groupInstanceId: null }).errorCode).toBe(E.NONE);
    expect(h2.coordinator.describeGroup('g').members).toHaveLength(2);
    h2.time.advance(5_001);
    expect(h2.coordinator.describeGroup('g').state).toBe('PreparingRebalance');
    expect(h2.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: stays, groupInstanceId: null }).errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    expect(h2.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: gone, groupInstanceId: null }).errorCode).toBe(E.UNKNOWN_MEMBER_ID);

    const join = await h2.coordinator.joinGroup(joinRequest('g', { memberId: stays }));
    expect(join).toMatchObject({ errorCode: E.NONE, generationId: g.generationId + 1, leader: stays });
    await syncAll(h2, 'g', [join]);
    expect(h2.coordinator.describeGroup('g')).toMatchObject({ state: 'Stable', members: [{ memberId: stays, assignment: Buffer.from(stays) }] });
  });

  it('a group that emptied comes back Empty, and its generation keeps growing', async () => {
    const h1 = await harness();
    const g = await stableGroup(h1, 'g', 1);
    h1.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: g.memberIds[0]!, groupInstanceId: null }] });
    await settle();
    const h2 = await restart(h1);
    expect(h2.coordinator.describeGroup('g')).toMatchObject({ state: 'Empty', protocolType: 'consumer', members: [] });
    const again = await stableGroup(h2, 'g', 1);
    expect(again.generationId).toBe(g.generationId + 2); // +1 for the empty generation, +1 for the new one
  });

  it('a restart during CompletingRebalance restores the last Stable generation', async () => {
    const h1 = await harness();
    const g = await stableGroup(h1, 'g', 1);
    const [only] = g.memberIds as [string];
    // The leader rejoins (a rebalance) and gets generation +1, but never syncs it.
    const rejoin = await h1.coordinator.joinGroup(joinRequest('g', { memberId: only }));
    expect(rejoin.generationId).toBe(g.generationId + 1);
    const h2 = await restart(h1);

    expect(h2.coordinator.describeGroup('g').state).toBe('Stable');
    const lost = await h2.coordinator.syncGroup({ groupId: 'g', generationId: rejoin.generationId, memberId: only, groupInstanceId: null, assignments: [] });
    expect(lost.errorCode).toBe(E.ILLEGAL_GENERATION);
    expect(h2.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: only, groupInstanceId: null }).errorCode).toBe(E.NONE);
  });

  it('SyncGroup answers only once the assignment is durable', async () => {
    const store = new GatedStore();
    const h = await harness({}, store);
    const first = await h.coordinator.joinGroup(joinRequest('g'));
    store.gated = true;
    const sync = track(
      h.coordinator.syncGroup({ groupId: 'g', generationId: first.generationId, memberId: first.memberId, groupInstanceId: null, assignments: [{ memberId: first.memberId, assignment: Buffer.from('a') }] }),
    );
    await settle();
    expect(store.waiting).toBe(1);
    expect(sync.done).toBe(false);
    expect(h.coordinator.describeGroup('g').state).toBe('CompletingRebalance');
    // The leader retrying its SyncGroup meanwhile neither answers early nor writes twice.
    const retry = track(
      h.coordinator.syncGroup({ groupId: 'g', generationId: first.generationId, memberId: first.memberId, groupInstanceId: null, assignments: [{ memberId: first.memberId, assignment: Buffer.from('a') }] }),
    );
    await settle();
    expect(store.waiting).toBe(1);
    expect(sync.done && sync.value.errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    store.release();
    await settle();
    expect(retry.done && retry.value).toEqual({ errorCode: E.NONE, assignment: Buffer.from('a') });
    expect(h.coordinator.describeGroup('g').state).toBe('Stable');
    expect(await store.load()).toContainEqual(expect.objectContaining({ t: 'group-state', groupId: 'g', generationId: first.generationId }));
  });

  it('a failed assignment write sends the members back to rejoin', async () => {
    const store = new GatedStore();
    const h = await harness({}, store);
    const first = await h.coordinator.joinGroup(joinRequest('g'));
    store.fail = true;
    const sync = await h.coordinator.syncGroup({ groupId: 'g', generationId: first.generationId, memberId: first.memberId, groupInstanceId: null, assignments: [] });
    expect(sync.errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    expect(h.coordinator.describeGroup('g').state).toBe('PreparingRebalance');
  });

  it('a static member that replaced its id before the restart is known under the new id', async () => {
    const h1 = await harness();
    const first = await h1.coordinator.joinGroup(joinRequest('g', { groupInstanceId: 'i0' }));
    await syncAll(h1, 'g', [first]);
    const replaced = await h1.coordinator.joinGroup(joinRequest('g', { groupInstanceId: 'i0' }));
    expect(replaced.errorCode).toBe(E.NONE);
    const h2 = await restart(h1);
    const beat = { groupId: 'g', generationId: first.generationId, groupInstanceId: 'i0' };
    expect(h2.coordinator.heartbeat({ ...beat, memberId: replaced.memberId }).errorCode).toBe(E.NONE);
    expect(h2.coordinator.heartbeat({ ...beat, memberId: first.memberId }).errorCode).toBe(E.FENCED_INSTANCE_ID);
  });

  it('restores from the file store after compaction rewrote it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-group-restore-'));
    dirs.push(dir);
    const path = join(dir, 'groups.log');
    const time = new ManualTime();
    const open = async (): Promise<Harness> => harness({ compactAfterAppends: 3 }, await FileCoordinatorStore.open(path), time);
    const close = async (h: Harness): Promise<void> => {
      await h.coordinator.close();
      await (h.store as FileCoordinatorStore).close();
    };
    const h1 = await open();
    const g = await stableGroup(h1, 'g', 2);
    for (let i = 0; i < 6; i++) {
      await h1.coordinator.commitOffsets({ groupId: 'g', generationId: g.generationId, memberId: g.memberIds[0]!, offsets: [{ topic: 't', partition: 0, offset: BigInt(i), metadata: null }] });
    }
    await close(h1);
    const lines = await (await FileCoordinatorStore.open(path)).load();
    expect(lines.length).toBeLessThan(8);

    const h2 = await open();
    expect(h2.coordinator.describeGroup('g')).toMatchObject({ state: 'Stable', members: [{}, {}] });
    expect(h2.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: g.memberIds[1]!, groupInstanceId: null }).errorCode).toBe(E.NONE);
    expect(h2.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false }).offsets[0]!.offset).toBe(5n);
    await close(h2);
  });

  it('an older log holding only generation records loads the group as Empty', async () => {
    const store: CoordinatorStore = new MemoryCoordinatorStore();
    await store.append({ t: 'group', groupId: 'g', protocolType: 'consumer', generationId: 2 });
    await store.append({ t: 'group', groupId: 'g', protocolType: 'consumer', generationId: 3 });
    await store.append({ t: 'offsets', groupId: 'g', offsets: [{ topic: 't', partition: 0, offset: '4', metadata: null, leaderEpoch: -1, commitTimestampMs: 0 }] });
    const h = await harness({}, store);
    expect(h.coordinator.describeGroup('g')).toMatchObject({ state: 'Empty', protocolType: 'consumer', members: [] });
    const g = await stableGroup(h, 'g', 1);
    expect(g.generationId).toBe(4);
    expect(h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false }).offsets[0]!.offset).toBe(4n);
  });
});
