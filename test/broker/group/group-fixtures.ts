/** Shared set-up for group coordinator tests: a coordinator on manual time and an in-memory store. */
import { silentLogger } from '../../../src/sdk/logger.ts';
import type { CoordinatorStore } from '../../../src/broker/group/coordinator-store.ts';
import { MemoryCoordinatorStore } from '../../../src/broker/group/memory-coordinator-store.ts';
import {
  GroupCoordinator,
  type GroupCoordinatorOptions,
  type JoinGroupRequest,
  type JoinGroupResponse,
} from '../../../src/broker/group/group-coordinator.ts';
import { KafkaErrorCode as E } from '../../../src/broker/group/error-codes.ts';
import { ManualTime, settle } from './manual-time.ts';

export const defaultOptions: GroupCoordinatorOptions = {
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 300_000,
  initialRebalanceDelayMs: 0,
};

export interface Harness {
  time: ManualTime;
  store: CoordinatorStore;
  coordinator: GroupCoordinator;
}

export async function harness(opts: Partial<GroupCoordinatorOptions> = {}, store: CoordinatorStore = new MemoryCoordinatorStore(), time = new ManualTime()): Promise<Harness> {
  const coordinator = await GroupCoordinator.load({ clock: time, logger: silentLogger, store, timers: time }, { ...defaultOptions, ...opts });
  return { time, store, coordinator };
}

export function joinRequest(groupId: string, overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId,
    memberId: '',
    groupInstanceId: null,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('meta') }],
    requireKnownMemberId: false,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    ...overrides,
  };
}

/** A promise plus a synchronous view of whether it has settled yet. */
export interface Tracked<T> {
  promise: Promise<T>;
  readonly done: boolean;
  readonly value: T;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  let done = false;
  let value: T | undefined;
  void promise.then((v) => {
    done = true;
    value = v;
  });
  return {
    promise,
    get done() {
      return done;
    },
    get value() {
      if (!done) throw new Error('promise has not settled');
      return value as T;
    },
  };
}

/** Joins through the KIP-394 two-step flow and waits for the join to complete. */
export async function joinNew(h: Harness, groupId: string, overrides: Partial<JoinGroupRequest> = {}): Promise<JoinGroupResponse> {
  const first = await h.coordinator.joinGroup(joinRequest(groupId, { ...overrides, requireKnownMemberId: true }));
  if (first.errorCode !== E.MEMBER_ID_REQUIRED) return first;
  return h.coordinator.joinGroup(joinRequest(groupId, { ...overrides, memberId: first.memberId, requireKnownMemberId: true }));
}

/** Forms a Stable group of `n` dynamic members; the leader assigns each member its own id as bytes. */
export async function stableGroup(h: Harness, groupId: string, n: number): Promise<{ generationId: number; leader: string; memberIds: string[] }> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const first = await h.coordinator.joinGroup(joinRequest(groupId, { requireKnownMemberId: true, clientId: `c${i}` }));
    ids.push(first.memberId);
  }
  const joins = ids.map((memberId, i) => track(h.coordinator.joinGroup(joinRequest(groupId, { memberId, requireKnownMemberId: true, clientId: `c${i}` }))));
  await settle();
  if (!joins.every((j) => j.done)) {
    // Earlier members completed a smaller generation first; they rejoin until everyone is in one.
    return rejoinAll(h, groupId, ids);
  }
  return syncAll(h, groupId, joins.map((j) => j.value));
}

async function rejoinAll(h: Harness, groupId: string, ids: string[]): Promise<{ generationId: number; leader: string; memberIds: string[] }> {
  const joins = ids.map((memberId) => track(h.coordinator.joinGroup(joinRequest(groupId, { memberId }))));
  await settle();
  if (!joins.every((j) => j.done)) throw new Error('rejoin did not complete');
  return syncAll(h, groupId, joins.map((j) => j.value));
}

export async function syncAll(h: Harness, groupId: string, joins: JoinGroupResponse[]): Promise<{ generationId: number; leader: string; memberIds: string[] }> {
  const leaderJoin = joins.find((j) => j.memberId === j.leader);
  if (leaderJoin === undefined) throw new Error('no leader among joins');
  const syncs = joins.map((j) =>
    h.coordinator.syncGroup({
      groupId,
      generationId: j.generationId,
      memberId: j.memberId,
      groupInstanceId: null,
      assignments: j.memberId === j.leader ? j.members.map((m) => ({ memberId: m.memberId, assignment: Buffer.from(m.memberId) })) : [],
    }),
  );
  const results = await Promise.all(syncs);
  for (const r of results) if (r.errorCode !== E.NONE) throw new Error(`sync failed with ${r.errorCode}`);
  return { generationId: leaderJoin.generationId, leader: leaderJoin.leader, memberIds: joins.map((j) => j.memberId) };
}
