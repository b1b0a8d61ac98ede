import { describe, expect, it } from 'vitest';
import { KafkaErrorCode as E } from '../../../src/broker/group/error-codes.ts';
import { settle } from './manual-time.ts';
import { harness, joinNew, joinRequest, stableGroup, syncAll, track } from './group-fixtures.ts';

describe('GroupCoordinator join and sync', () => {
  it('asks a v4+ joiner for a member id first (MEMBER_ID_REQUIRED), then admits it with that id', async () => {
    const h = await harness();
    const first = await h.coordinator.joinGroup(joinRequest('g', { requireKnownMemberId: true, clientId: 'app' }));
    expect(first.errorCode).toBe(E.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^app-/);
    expect(h.coordinator.describeGroup('g').members).toHaveLength(0);

    const second = await h.coordinator.joinGroup(joinRequest('g', { memberId: first.memberId, requireKnownMemberId: true }));
    expect(second).toMatchObject({ errorCode: E.NONE, generationId: 1, protocolName: 'range', leader: first.memberId, memberId: first.memberId });
    expect(second.members).toEqual([{ memberId: first.memberId, groupInstanceId: null, metadata: Buffer.from('meta') }]);
  });

  it('forgets a pending member id that never comes back within the session timeout', async () => {
    const h = await harness();
    const first = await h.coordinator.joinGroup(joinRequest('g', { requireKnownMemberId: true }));
    h.time.advance(10_000);
    const late = await h.coordinator.joinGroup(joinRequest('g', { memberId: first.memberId, requireKnownMemberId: true }));
    expect(late.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('admits a pre-v4 joiner (no member id required) in one step', async () => {
    const h = await harness();
    const res = await h.coordinator.joinGroup(joinRequest('g'));
    expect(res.errorCode).toBe(E.NONE);
    expect(res.leader).toBe(res.memberId);
  });

  it('one member: join, sync, Stable, heartbeat', async () => {
    const h = await harness();
    const join = await joinNew(h, 'g');
    const sync = await h.coordinator.syncGroup({
      groupId: 'g',
      generationId: join.generationId,
      memberId: join.memberId,
      groupInstanceId: null,
      assignments: [{ memberId: join.memberId, assignment: Buffer.from('p0,p1') }],
    });
    expect(sync).toEqual({ errorCode: E.NONE, assignment: Buffer.from('p0,p1') });
    const d = h.coordinator.describeGroup('g');
    expect(d).toMatchObject({ errorCode: E.NONE, state: 'Stable', protocolType: 'consumer', protocol: 'range' });
    expect(d.members[0]).toMatchObject({ memberId: join.memberId, clientId: 'client', assignment: Buffer.from('p0,p1') });
    expect(h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: join.memberId, groupInstanceId: null })).toEqual({ errorCode: E.NONE });
  });

  it('three members arriving within the initial rebalance delay form one generation', async () => {
    const h = await harness({ initialRebalanceDelayMs: 3_000 });
    const joins = [0, 1, 2].map((i) => track(h.coordinator.joinGroup(joinRequest('g', { clientId: `c${i}` }))));
    await settle();
    expect(joins.some((j) => j.done)).toBe(false);
    expect(h.coordinator.describeGroup('g').state).toBe('PreparingRebalance');

    h.time.advance(3_000); // the delay is extended once, since members joined during it
    await settle();
    expect(joins.some((j) => j.done)).toBe(false);
    h.time.advance(3_000);
    await settle();
    const results = joins.map((j) => j.value);
    expect(new Set(results.map((r) => r.generationId))).toEqual(new Set([1]));
    const leader = results[0]!.leader;
    expect(results.filter((r) => r.memberId === leader)[0]!.members).toHaveLength(3);
    expect(results.filter((r) => r.memberId !== leader).every((r) => r.members.length === 0)).toBe(true);

    // Followers park in SyncGroup until the leader's assignment arrives.
    const followers = results.filter((r) => r.memberId !== leader);
    const followerSyncs = followers.map((f) =>
      track(h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: f.memberId, groupInstanceId: null, assignments: [] })),
    );
    await settle();
    expect(followerSyncs.some((s) => s.done)).toBe(false);
    expect(h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: leader, groupInstanceId: null }).errorCode).toBe(E.NONE);
    await h.coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: leader,
      groupInstanceId: null,
      assignments: [{ memberId: followers[0]!.memberId, assignment: Buffer.from('a') }],
    });
    await settle();
    expect(followerSyncs[0]!.value).toEqual({ errorCode: E.NONE, assignment: Buffer.from('a') });
    // A member the leader left out gets an empty assignment rather than hanging.
    expect(followerSyncs[1]!.value).toEqual({ errorCode: E.NONE, assignment: Buffer.alloc(0) });
    expect(h.coordinator.describeGroup('g').state).toBe('Stable');
  });

  it('three members joining one by one converge on a single generation with all of them', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 3);
    expect(g.memberIds).toHaveLength(3);
    const d = h.coordinator.describeGroup('g');
    expect(d.state).toBe('Stable');
    expect(d.members.map((m) => m.memberId).sort()).toEqual([...g.memberIds].sort());
    for (const m of d.members) expect(m.assignment).toEqual(Buffer.from(m.memberId));
  });
});

describe('GroupCoordinator rebalances', () => {
  it('a new member triggers a rebalance that the existing member learns of through its heartbeat', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 1);
    const m1 = g.memberIds[0]!;
    const newcomer = track(joinNew(h, 'g', { clientId: 'new' }));
    await settle();
    expect(newcomer.done).toBe(false);
    expect(h.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: m1, groupInstanceId: null }).errorCode).toBe(E.REBALANCE_IN_PROGRESS);

    const rejoin = await h.coordinator.joinGroup(joinRequest('g', { memberId: m1 }));
    await settle();
    expect(rejoin.generationId).toBe(g.generationId + 1);
    expect(rejoin.leader).toBe(m1);
    expect(rejoin.members).toHaveLength(2);
    expect(newcomer.value.generationId).toBe(g.generationId + 1);
    await syncAll(h, 'g', [rejoin, newcomer.value]);
    expect(h.coordinator.describeGroup('g').state).toBe('Stable');
  });

  it('a leaving member triggers a rebalance; the group empties when the last one leaves', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 2);
    const [a, b] = g.memberIds as [string, string];
    const left = h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: b, groupInstanceId: null }] });
    expect(left).toEqual({ errorCode: E.NONE, members: [{ memberId: b, groupInstanceId: null, errorCode: E.NONE }] });
    expect(h.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: a, groupInstanceId: null }).errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    const rejoin = await h.coordinator.joinGroup(joinRequest('g', { memberId: a }));
    expect(rejoin).toMatchObject({ errorCode: E.NONE, generationId: g.generationId + 1, leader: a });
    expect(rejoin.members).toHaveLength(1);

    await syncAll(h, 'g', [rejoin]);
    h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: a, groupInstanceId: null }] });
    const d = h.coordinator.describeGroup('g');
    expect(d.state).toBe('Empty');
    expect(d.members).toHaveLength(0);
    expect(h.coordinator.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer', state: 'Empty' }]);
  });

  it('an expired session removes the member and triggers a rebalance', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 2);
    const [a, b] = g.memberIds as [string, string];
    for (let i = 0; i < 3; i++) {
      h.time.advance(3_000);
      expect(h.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: a, groupInstanceId: null }).errorCode).toBe(E.NONE);
    }
    h.time.advance(3_000); // b never heartbeated: 12s > its 10s session timeout.
    expect(h.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: a, groupInstanceId: null }).errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    const d = h.coordinator.describeGroup('g');
    expect(d.state).toBe('PreparingRebalance');
    expect(d.members.map((m) => m.memberId)).toEqual([a]);
    expect(h.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: b, groupInstanceId: null }).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('the rebalance timeout bounds the join phase: members that do not rejoin are dropped', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 2);
    const [a, b] = g.memberIds as [string, string];
    const rejoin = track(h.coordinator.joinGroup(joinRequest('g', { memberId: a, protocols: [{ name: 'range', metadata: Buffer.from('changed') }] })));
    await settle();
    expect(rejoin.done).toBe(false);
    // b keeps heartbeating (so its session stays alive) but never rejoins.
    for (let i = 0; i < 9; i++) {
      h.time.advance(3_000);
      expect(h.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId, memberId: b, groupInstanceId: null }).errorCode).toBe(E.REBALANCE_IN_PROGRESS);
    }
    await settle();
    expect(rejoin.done).toBe(false);
    h.time.advance(3_000); // 30s: a's rebalance timeout
    await settle();
    expect(rejoin.value).toMatchObject({ errorCode: E.NONE, generationId: g.generationId + 1, leader: a });
    expect(rejoin.value.members.map((m) => m.memberId)).toEqual([a]);
    expect(rejoin.value.members[0]!.metadata).toEqual(Buffer.from('changed'));
    expect(h.coordinator.heartbeat({ groupId: 'g', generationId: g.generationId + 1, memberId: b, groupInstanceId: null }).errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('a rebalance sends members parked in SyncGroup back to rejoin', async () => {
    const h = await harness();
    const two = await stableGroup(h, 'g', 2);
    const [x, y] = two.memberIds as [string, string];
    const gen = two.generationId;
    // Force a new join phase and complete it with both members.
    const jx = track(h.coordinator.joinGroup(joinRequest('g', { memberId: x, protocols: [{ name: 'range', metadata: Buffer.from('v2') }] })));
    const jy = track(h.coordinator.joinGroup(joinRequest('g', { memberId: y })));
    await settle();
    const follower = jx.value.leader === x ? jy.value : jx.value;
    const parked = track(h.coordinator.syncGroup({ groupId: 'g', generationId: gen + 1, memberId: follower.memberId, groupInstanceId: null, assignments: [] }));
    await settle();
    expect(parked.done).toBe(false);
    // A third member arrives before the leader syncs.
    void joinNew(h, 'g', { clientId: 'third' });
    await settle();
    expect(parked.value.errorCode).toBe(E.REBALANCE_IN_PROGRESS);
  });

  it('a follower rejoining a Stable group with unchanged metadata gets the current generation without a rebalance', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 2);
    const follower = g.memberIds.find((m) => m !== g.leader)!;
    const res = await h.coordinator.joinGroup(joinRequest('g', { memberId: follower }));
    expect(res).toMatchObject({ errorCode: E.NONE, generationId: g.generationId, leader: g.leader, members: [] });
    expect(h.coordinator.describeGroup('g').state).toBe('Stable');
  });
});

describe('GroupCoordinator request validation', () => {
  it.each([
    { name: 'session timeout below the minimum', req: { sessionTimeoutMs: 1_000 }, code: E.INVALID_SESSION_TIMEOUT },
    { name: 'session timeout above the maximum', req: { sessionTimeoutMs: 400_000 }, code: E.INVALID_SESSION_TIMEOUT },
    { name: 'empty group id', req: { groupId: '' }, code: E.INVALID_GROUP_ID },
    { name: 'known member id for a group that does not exist', req: { groupId: 'nope', memberId: 'm-1' }, code: E.UNKNOWN_MEMBER_ID },
  ])('JoinGroup rejects $name', async ({ req, code }) => {
    const h = await harness();
    const res = await h.coordinator.joinGroup(joinRequest(req.groupId ?? 'g', req));
    expect(res.errorCode).toBe(code);
  });

  it('rejects a protocol type or protocol set the group cannot share (INCONSISTENT_GROUP_PROTOCOL)', async () => {
    const h = await harness();
    await stableGroup(h, 'g', 1);
    const otherType = await h.coordinator.joinGroup(joinRequest('g', { protocolType: 'connect' }));
    expect(otherType.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
    const otherProtocol = await h.coordinator.joinGroup(joinRequest('g', { protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }] }));
    expect(otherProtocol.errorCode).toBe(E.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('picks the protocol most members prefer among those all support', async () => {
    const h = await harness({ initialRebalanceDelayMs: 1_000 });
    const both = (first: string, second: string) => [
      { name: first, metadata: Buffer.from(first) },
      { name: second, metadata: Buffer.from(second) },
    ];
    const joins = [
      track(h.coordinator.joinGroup(joinRequest('g', { protocols: both('range', 'roundrobin') }))),
      track(h.coordinator.joinGroup(joinRequest('g', { protocols: both('roundrobin', 'range') }))),
      track(h.coordinator.joinGroup(joinRequest('g', { protocols: both('roundrobin', 'range') }))),
    ];
    h.time.advance(5_000);
    await settle();
    expect(joins.map((j) => j.value.protocolName)).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
    const leader = joins.map((j) => j.value).find((r) => r.members.length > 0)!;
    expect(leader.members.map((m) => m.metadata.toString())).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
  });

  it('heartbeat errors', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 1);
    const m = g.memberIds[0]!;
    const cases = [
      { name: 'unknown group', req: { groupId: 'other', generationId: g.generationId, memberId: m }, code: E.UNKNOWN_MEMBER_ID },
      { name: 'unknown member', req: { groupId: 'g', generationId: g.generationId, memberId: 'ghost' }, code: E.UNKNOWN_MEMBER_ID },
      { name: 'old generation', req: { groupId: 'g', generationId: g.generationId - 1, memberId: m }, code: E.ILLEGAL_GENERATION },
      { name: 'future generation', req: { groupId: 'g', generationId: g.generationId + 1, memberId: m }, code: E.ILLEGAL_GENERATION },
      { name: 'current', req: { groupId: 'g', generationId: g.generationId, memberId: m }, code: E.NONE },
    ];
    for (const c of cases) {
      expect(h.coordinator.heartbeat({ ...c.req, groupInstanceId: null }).errorCode, c.name).toBe(c.code);
    }
  });

  it('SyncGroup and OffsetCommit with a stale generation get ILLEGAL_GENERATION', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 1);
    const m = g.memberIds[0]!;
    const sync = await h.coordinator.syncGroup({ groupId: 'g', generationId: g.generationId + 5, memberId: m, groupInstanceId: null, assignments: [] });
    expect(sync.errorCode).toBe(E.ILLEGAL_GENERATION);
    const commit = await h.coordinator.commitOffsets({
      groupId: 'g',
      generationId: g.generationId - 1,
      memberId: m,
      offsets: [{ topic: 't', partition: 0, offset: 5n, metadata: null }],
    });
    expect(commit).toEqual([{ topic: 't', partition: 0, errorCode: E.ILLEGAL_GENERATION }]);
    const unknownGroup = await h.coordinator.syncGroup({ groupId: 'nope', generationId: 1, memberId: m, groupInstanceId: null, assignments: [] });
    expect(unknownGroup.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('LeaveGroup reports each member separately', async () => {
    const h = await harness();
    const g = await stableGroup(h, 'g', 1);
    const res = h.coordinator.leaveGroup({
      groupId: 'g',
      members: [
        { memberId: 'ghost', groupInstanceId: null },
        { memberId: g.memberIds[0]!, groupInstanceId: null },
      ],
    });
    expect(res.members.map((m) => m.errorCode)).toEqual([E.UNKNOWN_MEMBER_ID, E.NONE]);
    expect(h.coordinator.leaveGroup({ groupId: 'none', members: [{ memberId: 'x', groupInstanceId: null }] }).members[0]!.errorCode).toBe(E.UNKNOWN_MEMBER_ID);
  });

  it('close answers parked joins with NOT_COORDINATOR and refuses new work', async () => {
    const h = await harness({ initialRebalanceDelayMs: 3_000 });
    const parked = track(h.coordinator.joinGroup(joinRequest('g')));
    await h.coordinator.close();
    await settle();
    expect(parked.value.errorCode).toBe(E.NOT_COORDINATOR);
    expect(h.time.pendingTimers()).toBe(0);
    expect((await h.coordinator.joinGroup(joinRequest('g'))).errorCode).toBe(E.COORDINATOR_NOT_AVAILABLE);
    await h.coordinator.close();
  });
});
