import { describe, expect, it } from 'vitest';
import { KafkaErrorCode as E } from '../../../src/broker/group/error-codes.ts';
import type { JoinGroupResponse } from '../../../src/broker/group/group-coordinator.ts';
import { settle } from './manual-time.ts';
import { harness, joinRequest, syncAll, track, type Harness } from './group-fixtures.ts';

/** Two static members (instances i0, i1) in a Stable group. */
async function staticGroup(h: Harness): Promise<JoinGroupResponse[]> {
  const joins = ['i0', 'i1'].map((id) => track(h.coordinator.joinGroup(joinRequest('g', { groupInstanceId: id, clientId: id, requireKnownMemberId: true }))));
  h.time.advance(2_000); // the initial delay, extended once because a second member arrived
  await settle();
  const results = joins.map((j) => j.value);
  await syncAll(h, 'g', results);
  return results;
}

describe('GroupCoordinator static membership (KIP-345)', () => {
  it('static members skip MEMBER_ID_REQUIRED and get ids derived from their instance id', async () => {
    const h = await harness({ initialRebalanceDelayMs: 1_000 });
    const [a, b] = await staticGroup(h);
    expect(a!.memberId).toMatch(/^i0-/);
    expect(b!.memberId).toMatch(/^i1-/);
    expect(h.coordinator.describeGroup('g').members.map((m) => m.groupInstanceId).sort()).toEqual(['i0', 'i1']);
  });

  it('a restarted static member replaces its old member id without a rebalance and keeps its assignment', async () => {
    const h = await harness({ initialRebalanceDelayMs: 1_000 });
    const [a, b] = await staticGroup(h);
    const generation = a!.generationId;
    const rejoin = await h.coordinator.joinGroup(joinRequest('g', { groupInstanceId: 'i1', clientId: 'i1', requireKnownMemberId: true }));
    expect(rejoin.errorCode).toBe(E.NONE);
    expect(rejoin.memberId).not.toBe(b!.memberId);
    expect(rejoin.generationId).toBe(generation);
    expect(rejoin.members).toEqual([]);
    expect(rejoin.leader).not.toBe(rejoin.memberId);
    expect(h.coordinator.describeGroup('g').state).toBe('Stable');

    const sync = await h.coordinator.syncGroup({ groupId: 'g', generationId: generation, memberId: rejoin.memberId, groupInstanceId: 'i1', assignments: [] });
    expect(sync).toEqual({ errorCode: E.NONE, assignment: Buffer.from(b!.memberId) });

    // The old incarnation is fenced everywhere.
    const old = { groupId: 'g', generationId: generation, memberId: b!.memberId, groupInstanceId: 'i1' };
    expect(h.coordinator.heartbeat(old).errorCode).toBe(E.FENCED_INSTANCE_ID);
    expect((await h.coordinator.syncGroup({ ...old, assignments: [] })).errorCode).toBe(E.FENCED_INSTANCE_ID);
    expect((await h.coordinator.joinGroup(joinRequest('g', { memberId: b!.memberId, groupInstanceId: 'i1' }))).errorCode).toBe(E.FENCED_INSTANCE_ID);
    expect((await h.coordinator.commitOffsets({ ...old, offsets: [{ topic: 't', partition: 0, offset: 1n, metadata: null }] }))[0]!.errorCode).toBe(E.FENCED_INSTANCE_ID);
  });

  it('a restarted static leader hands leadership to its new id', async () => {
    const h = await harness({ initialRebalanceDelayMs: 1_000 });
    const [a] = await staticGroup(h);
    const leaderInstance = a!.leader.startsWith('i0-') ? 'i0' : 'i1';
    const rejoin = await h.coordinator.joinGroup(joinRequest('g', { groupInstanceId: leaderInstance, clientId: leaderInstance }));
    // The reply names the old leader id, so the new incarnation does not redo the assignment.
    expect(rejoin.leader).toBe(a!.leader);
    expect(rejoin.memberId).not.toBe(a!.leader);
    // But the group now counts the new id as leader: its rejoin starts a rebalance, as a leader's does.
    const again = track(h.coordinator.joinGroup(joinRequest('g', { memberId: rejoin.memberId, groupInstanceId: leaderInstance })));
    await settle();
    expect(h.coordinator.describeGroup('g').state).toBe('PreparingRebalance');
    expect(again.done).toBe(false);
  });

  it('a static member that misses a rebalance stays until its session expires', async () => {
    const h = await harness({ initialRebalanceDelayMs: 1_000 });
    const [a, b] = await staticGroup(h);
    const rejoin = track(h.coordinator.joinGroup(joinRequest('g', { memberId: a!.memberId, groupInstanceId: 'i0', protocols: [{ name: 'range', metadata: Buffer.from('v2') }] })));
    h.time.advance(9_000);
    await settle();
    expect(rejoin.done).toBe(false); // waiting for i1, whose session has not expired yet
    h.time.advance(1_000); // i1's 10s session ends: it is removed and the join completes without it
    await settle();
    expect(rejoin.value.errorCode).toBe(E.NONE);
    expect(rejoin.value.members.map((m) => m.groupInstanceId)).toEqual(['i0']);
    expect(h.coordinator.heartbeat({ groupId: 'g', generationId: rejoin.value.generationId, memberId: b!.memberId, groupInstanceId: 'i1' }).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('LeaveGroup by instance id removes the static member', async () => {
    const h = await harness({ initialRebalanceDelayMs: 1_000 });
    await staticGroup(h);
    const res = h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: '', groupInstanceId: 'i1' }] });
    expect(res.members[0]!.errorCode).toBe(E.NONE);
    expect(h.coordinator.describeGroup('g').members.map((m) => m.groupInstanceId)).toEqual(['i0']);
    expect(h.coordinator.describeGroup('g').state).toBe('PreparingRebalance');
  });
});
