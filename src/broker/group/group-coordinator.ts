/**
 * The consumer group coordinator of the embedded broker (Kafka's classic group protocol: JoinGroup,
 * SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch), plus the transactional offset staging
 * that the transaction coordinator drives. Request handlers call it; it never touches sockets.
 *
 * Persistence, as Kafka's GroupMetadata in __consumer_offsets: a group's membership (members, their
 * subscriptions and assignments, leader, generation) is written when a generation becomes Stable and
 * when the group becomes Empty, and restored on load, so a broker restart costs live members no
 * rebalance. Invariant: no member receives a Stable generation's assignment (SyncGroup) or a static
 * member's new id (JoinGroup) before the group record carrying it is durable.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../sdk/clock.ts';
import { errorMessage } from '../../sdk/errors.ts';
import type { Logger } from '../../sdk/logger.ts';
import { ClassicGroup } from './classic-group.ts';
import type { CoordinatorStore } from './coordinator-store.ts';
import { KafkaErrorCode as E } from './error-codes.ts';
import { GroupMember } from './group-member.ts';
import { decodeGroupRecord, type GroupRecord, type GroupStateRecord, type OffsetRecord } from './group-records.ts';
import { OffsetBook } from './offset-book.ts';
import { StoreWriter } from './store-writer.ts';
import type { TimerScheduler } from './timer-scheduler.ts';

export type { TimerScheduler, TimerHandle } from './timer-scheduler.ts';
export type { CoordinatorStore } from './coordinator-store.ts';

export interface GroupCoordinatorDeps {
  clock: Clock;
  logger: Logger;
  store: CoordinatorStore;
  timers: TimerScheduler;
}

export interface GroupCoordinatorOptions {
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** Delay before the first rebalance of an empty group completes (group.initial.rebalance.delay.ms). */
  initialRebalanceDelayMs: number;
  /** offset.metadata.max.bytes: longer commit metadata gets OFFSET_METADATA_TOO_LARGE (default 4096). */
  offsetMetadataMaxBytes?: number;
  /** Rewrite the store after this many appends (default 10000; 0 never). */
  compactAfterAppends?: number;
}

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  /** Empty string for a member joining for the first time. */
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  /**
   * JoinGroup v4+: an unknown member first gets MEMBER_ID_REQUIRED with its assigned id (KIP-394).
   * Ignored for static members (groupInstanceId set), so handlers may pass `version >= 4` as is.
   */
  requireKnownMemberId: boolean;
  clientId: string;
  clientHost: string;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResponse {
  errorCode: number;
  generationId: number;
  protocolName: string | null;
  leader: string;
  memberId: string;
  /** Non-empty only in the leader's response. */
  members: JoinGroupMember[];
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** Only the leader sends assignments. */
  assignments: Array<{ memberId: string; assignment: Buffer }>;
}

export interface SyncGroupResponse {
  errorCode: number;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null }>;
}

export interface LeaveGroupResponse {
  errorCode: number;
  members: Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }>;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface PartitionResult extends TopicPartition {
  errorCode: number;
}

export interface CommitOffsetsRequest {
  groupId: string;
  /** -1 for a simple (admin / non-member) commit. */
  generationId: number;
  memberId: string;
  /** OffsetCommit v7+: a static member's instance id, checked for fencing. */
  groupInstanceId?: string | null;
  offsets: Array<{ topic: string; partition: number; offset: bigint; metadata: string | null; leaderEpoch?: number }>;
}

export interface FetchOffsetsRequest {
  groupId: string;
  /** null = every partition with a committed offset. */
  partitions: TopicPartition[] | null;
  requireStable: boolean;
}

export interface FetchedOffset extends TopicPartition {
  /** -1n when nothing is committed. */
  offset: bigint;
  metadata: string | null;
  leaderEpoch: number;
  errorCode: number;
}

export interface FetchOffsetsResponse {
  errorCode: number;
  offsets: FetchedOffset[];
}

export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface DescribedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  metadata: Buffer;
  assignment: Buffer;
}

export interface DescribeGroupResponse {
  errorCode: number;
  groupId: string;
  state: GroupStateName;
  protocolType: string;
  protocol: string;
  members: DescribedMember[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: GroupStateName;
}

export interface StageTxnOffsetsRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  groupId: string;
  offsets: Array<{ topic: string; partition: number; offset: bigint; metadata: string | null }>;
}

/** New members that never complete their first join are dropped after this long (Kafka's constant). */
const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;
const DEFAULT_OFFSET_METADATA_MAX_BYTES = 4096;
const DEFAULT_COMPACT_AFTER_APPENDS = 10_000;

function joinError(memberId: string, errorCode: number): JoinGroupResponse {
  return { errorCode, generationId: -1, protocolName: null, leader: '', memberId, members: [] };
}

const syncError = (errorCode: number): SyncGroupResponse => ({ errorCode, assignment: Buffer.alloc(0) });

/**
 * Contract for callers (the request handlers):
 * - Every method may be called at any time and concurrently; the coordinator's state changes happen
 *   synchronously inside each call, so calls never interleave half-way. Promises resolve later only
 *   for long polls (JoinGroup, SyncGroup) and for writes that must be durable before the reply
 *   (offset commits, transactional offsets, deletes, a Stable generation's assignment).
 * - Errors are Kafka error codes in the result; methods do not throw for protocol-level failures.
 * - After `close()`, parked JoinGroup/SyncGroup calls are answered with NOT_COORDINATOR and new calls
 *   get COORDINATOR_NOT_AVAILABLE.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, ClassicGroup>();
  private readonly offsets = new OffsetBook();
  private readonly writer: StoreWriter;
  private readonly logger: Logger;
  private closed = false;

  constructor(
    private readonly deps: GroupCoordinatorDeps,
    private readonly opts: GroupCoordinatorOptions,
  ) {
    this.logger = deps.logger.child({ component: 'group-coordinator' });
    this.writer = new StoreWriter(deps.store, this.logger, {
      compactAfterAppends: opts.compactAfterAppends ?? DEFAULT_COMPACT_AFTER_APPENDS,
      snapshot: () => this.snapshot(),
    });
  }

  /**
   * Restores committed offsets, staged transactional offsets and each group as last persisted: Stable
   * with its members (each given a full session timeout from now, as if it had just heartbeated), or
   * Empty with its generation.
   */
  static async load(deps: GroupCoordinatorDeps, opts: GroupCoordinatorOptions): Promise<GroupCoordinator> {
    const coordinator = new GroupCoordinator(deps, opts);
    let skipped = 0;
    for (const raw of await deps.store.load()) {
      const record = decodeGroupRecord(raw);
      if (record === null) skipped += 1;
      else coordinator.apply(record);
    }
    if (skipped > 0) coordinator.logger.warn({ skipped }, 'skipped unrecognised group store entries');
    // Only the last state of each group matters, so members are built once every entry is replayed.
    let members = 0;
    for (const group of coordinator.groups.values()) members += coordinator.restore(group);
    coordinator.logger.info({ groups: coordinator.groups.size, members }, 'loaded group coordinator state');
    return coordinator;
  }

  /** Materializes `group.persisted` on load; returns the number of members restored. */
  private restore(group: ClassicGroup): number {
    const state = group.persisted;
    if (state === null) return 0;
    if (state.members.length === 0) {
      group.generationId = state.generationId;
      group.protocolType = state.protocolType;
      return 0;
    }
    const protocolType = state.protocolType ?? '';
    const members = state.members.map((m) => {
      const member = new GroupMember(
        m.memberId,
        m.groupInstanceId,
        m.clientId,
        m.clientHost,
        m.sessionTimeoutMs,
        m.rebalanceTimeoutMs,
        protocolType,
        m.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata, 'base64') })),
      );
      member.assignment = Buffer.from(m.assignment, 'base64');
      return member;
    });
    group.restoreStable(state, members);
    for (const m of members) this.scheduleHeartbeatExpiry(group, m);
    return members.length;
  }

  // ---- JoinGroup ----------------------------------------------------------------------------------

  joinGroup(r: JoinGroupRequest): Promise<JoinGroupResponse> {
    return new Promise((resolve) => this.handleJoin(r, resolve));
  }

  private handleJoin(r: JoinGroupRequest, reply: (res: JoinGroupResponse) => void): void {
    if (this.closed) return reply(joinError(r.memberId, E.COORDINATOR_NOT_AVAILABLE));
    if (r.groupId === '') return reply(joinError(r.memberId, E.INVALID_GROUP_ID));
    if (r.sessionTimeoutMs < this.opts.minSessionTimeoutMs || r.sessionTimeoutMs > this.opts.maxSessionTimeoutMs) {
      return reply(joinError(r.memberId, E.INVALID_SESSION_TIMEOUT));
    }
    const isUnknownMember = r.memberId === '';
    let group = this.groups.get(r.groupId);
    if (group === undefined) {
      // Only a member without an id may create a group; a known id for a missing group is stale.
      if (!isUnknownMember) return reply(joinError(r.memberId, E.UNKNOWN_MEMBER_ID));
      group = new ClassicGroup(r.groupId);
      this.groups.set(r.groupId, group);
    }
    if (isUnknownMember) this.joinUnknownMember(group, r, reply);
    else this.joinKnownMember(group, r, reply);
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  private joinUnknownMember(group: ClassicGroup, r: JoinGroupRequest, reply: (res: JoinGroupResponse) => void): void {
    if (!group.supportsProtocols(r.protocolType, r.protocols.map((p) => p.name))) {
      return reply(joinError('', E.INCONSISTENT_GROUP_PROTOCOL));
    }
    const newMemberId = `${r.groupInstanceId ?? r.clientId}-${randomUUID()}`;
    const oldStaticId = r.groupInstanceId === null ? undefined : group.staticMembers.get(r.groupInstanceId);
    if (oldStaticId !== undefined) return this.replaceStaticMember(group, oldStaticId, newMemberId, r, reply);
    // Static members are exempt: their instance id already names them (as Kafka's JoinGroup handler does).
    if (r.requireKnownMemberId && r.groupInstanceId === null) {
      // KIP-394: hand out the id first, admit the member only when it comes back with it, so a client
      // that keeps timing out its JoinGroup cannot pile up phantom members.
      const timer = this.deps.timers.setTimeout(() => this.expirePendingMember(group, newMemberId), r.sessionTimeoutMs);
      group.pendingMembers.set(newMemberId, timer);
      return reply(joinError(newMemberId, E.MEMBER_ID_REQUIRED));
    }
    this.addMemberAndRebalance(group, newMemberId, r, reply);
  }

  private joinKnownMember(group: ClassicGroup, r: JoinGroupRequest, reply: (res: JoinGroupResponse) => void): void {
    if (!group.supportsProtocols(r.protocolType, r.protocols.map((p) => p.name))) {
      return reply(joinError(r.memberId, E.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (group.pendingMembers.has(r.memberId)) return this.addMemberAndRebalance(group, r.memberId, r, reply);
    if (group.isStaticMemberFenced(r.memberId, r.groupInstanceId)) return reply(joinError(r.memberId, E.FENCED_INSTANCE_ID));
    const member = group.members.get(r.memberId);
    const unknownInstance = r.groupInstanceId !== null && !group.staticMembers.has(r.groupInstanceId);
    if (member === undefined || unknownInstance) return reply(joinError(r.memberId, E.UNKNOWN_MEMBER_ID));

    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, r, reply);
      case 'CompletingRebalance':
        // Same metadata: the member probably lost our JoinGroup response; repeat it.
        if (member.matches(r.protocols)) return reply(this.joinResult(group, member.memberId));
        return this.updateMemberAndRebalance(group, member, r, reply);
      case 'Stable':
        // The leader rejoining forces a rebalance so it can react to changes the metadata cannot show
        // (new partitions); a follower with unchanged metadata just gets the current generation back.
        if (group.isLeader(member.memberId) || !member.matches(r.protocols)) {
          return this.updateMemberAndRebalance(group, member, r, reply);
        }
        return reply({ ...this.joinResult(group, member.memberId), members: [] });
      case 'Empty':
      case 'Dead':
        return reply(joinError(r.memberId, E.UNKNOWN_MEMBER_ID));
    }
  }

  /**
   * A static member came back without its member id (a restart): it takes over the old id's place. In
   * a Stable group with unchanged metadata no rebalance happens, and the reply names the previous leader
   * so the member acts as a follower and simply syncs to get its old assignment.
   */
  private replaceStaticMember(
    group: ClassicGroup,
    oldMemberId: string,
    newMemberId: string,
    r: JoinGroupRequest,
    reply: (res: JoinGroupResponse) => void,
  ): void {
    const old = group.members.get(oldMemberId);
    const previousLeader = group.leaderId;
    const unchanged = old?.matches(r.protocols) ?? false;
    const member = this.newMember(newMemberId, r);
    if (old !== undefined) {
      old.cancelHeartbeat();
      old.completeJoin(joinError(oldMemberId, E.FENCED_INSTANCE_ID));
      old.completeSync(syncError(E.FENCED_INSTANCE_ID));
    }
    group.replaceStaticMember(oldMemberId, member);
    this.logger.info({ groupId: group.groupId, groupInstanceId: r.groupInstanceId, oldMemberId, newMemberId }, 'static member rejoined');
    this.scheduleHeartbeatExpiry(group, member);

    if (group.is('Stable') && unchanged) {
      const answer: JoinGroupResponse = {
        errorCode: E.NONE,
        generationId: group.generationId,
        protocolName: group.protocolName,
        leader: previousLeader ?? '',
        memberId: newMemberId,
        members: [],
      };
      // The new id must be durable before the member learns it: restored under the old id after a
      // restart, the instance would be fenced. On failure the new id stays in memory but unknown to
      // the client, whose retry (without a member id) replaces it again.
      this.persistState(group, group.stateRecord()).then(
        () => reply(this.closed ? joinError(r.memberId, E.NOT_COORDINATOR) : answer),
        (err: unknown) => {
          this.logger.error({ groupId: group.groupId, err: errorMessage(err) }, 'persisting a static member replacement failed');
          reply(joinError(r.memberId, E.COORDINATOR_NOT_AVAILABLE));
        },
      );
      return;
    }
    member.joinWaiter = reply;
    // In CompletingRebalance the leader's assignment is keyed by the old id, so start over.
    if (!group.is('PreparingRebalance')) this.maybePrepareRebalance(group, `static member ${r.groupInstanceId ?? ''} rejoined`);
  }

  private newMember(memberId: string, r: JoinGroupRequest): GroupMember {
    return new GroupMember(
      memberId,
      r.groupInstanceId,
      r.clientId,
      r.clientHost,
      r.sessionTimeoutMs,
      r.rebalanceTimeoutMs,
      r.protocolType,
      r.protocols,
    );
  }

  private addMemberAndRebalance(group: ClassicGroup, memberId: string, r: JoinGroupRequest, reply: (res: JoinGroupResponse) => void): void {
    const member = this.newMember(memberId, r);
    member.isNew = true;
    member.joinWaiter = reply;
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member);
    group.pendingMembers.get(memberId)?.cancel();
    group.pendingMembers.delete(memberId);
    // A new member cannot heartbeat until its first join completes, so it gets the long join timeout.
    this.scheduleExpiry(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.maybePrepareRebalance(group, `member ${memberId} joined`);
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, r: JoinGroupRequest, reply: (res: JoinGroupResponse) => void): void {
    member.protocols = r.protocols;
    member.sessionTimeoutMs = r.sessionTimeoutMs;
    member.rebalanceTimeoutMs = r.rebalanceTimeoutMs;
    member.clientId = r.clientId;
    member.clientHost = r.clientHost;
    // A second JoinGroup from the same member supersedes the first; answer the first so it is not leaked.
    member.completeJoin(joinError(member.memberId, E.REBALANCE_IN_PROGRESS));
    member.joinWaiter = reply;
    this.maybePrepareRebalance(group, `member ${member.memberId} rejoined`);
  }

  private joinResult(group: ClassicGroup, memberId: string): JoinGroupResponse {
    return {
      errorCode: E.NONE,
      generationId: group.generationId,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId,
      members: group.isLeader(memberId) ? group.currentMemberMetadata() : [],
    };
  }

  private expirePendingMember(group: ClassicGroup, memberId: string): void {
    if (!group.pendingMembers.delete(memberId)) return;
    this.logger.debug({ groupId: group.groupId, memberId }, 'pending member expired');
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  // ---- Rebalance ----------------------------------------------------------------------------------

  private maybePrepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason);
  }

  private prepareRebalance(group: ClassicGroup, reason: string): void {
    // Members parked in SyncGroup belong to a generation that will never become Stable: send them back.
    if (group.is('CompletingRebalance')) this.propagateAssignment(group, E.REBALANCE_IN_PROGRESS, true);
    group.joinTimer?.cancel();
    const delayMs = this.opts.initialRebalanceDelayMs;
    if (group.is('Empty') && delayMs > 0) {
      // group.initial.rebalance.delay.ms: let more of a starting fleet arrive before the first generation.
      group.initialDelay = { delayMs, remainingMs: Math.max(group.rebalanceTimeoutMs() - delayMs, 0) };
      group.newMemberAdded = false;
      group.joinTimer = this.deps.timers.setTimeout(() => this.onInitialDelayExpired(group), delayMs);
    } else {
      group.initialDelay = null;
      group.joinTimer = this.deps.timers.setTimeout(() => this.completeJoin(group), group.rebalanceTimeoutMs());
    }
    group.transitionTo('PreparingRebalance');
    this.logger.info({ groupId: group.groupId, generationId: group.generationId, reason }, 'preparing to rebalance group');
    this.tryCompleteJoin(group);
  }

  private onInitialDelayExpired(group: ClassicGroup): void {
    const delay = group.initialDelay;
    if (delay === null || !group.is('PreparingRebalance')) return;
    if (group.newMemberAdded && delay.remainingMs > 0) {
      const next = Math.min(delay.delayMs, delay.remainingMs);
      group.initialDelay = { delayMs: delay.delayMs, remainingMs: delay.remainingMs - next };
      group.newMemberAdded = false;
      group.joinTimer = this.deps.timers.setTimeout(() => this.onInitialDelayExpired(group), next);
      return;
    }
    this.completeJoin(group);
  }

  private tryCompleteJoin(group: ClassicGroup): void {
    if (group.is('PreparingRebalance') && group.initialDelay === null && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  /** Ends the join phase: drops dynamic members that did not rejoin, bumps the generation, answers every join. */
  private completeJoin(group: ClassicGroup): void {
    if (!group.is('PreparingRebalance')) return;
    group.joinTimer?.cancel();
    group.joinTimer = null;
    group.initialDelay = null;
    for (const m of group.notYetRejoinedMembers()) {
      // Static members keep their place until their session expires (KIP-345).
      if (m.groupInstanceId !== null) continue;
      m.cancelHeartbeat();
      m.completeSync(syncError(E.REBALANCE_IN_PROGRESS));
      group.remove(m.memberId);
      this.logger.info({ groupId: group.groupId, memberId: m.memberId }, 'member did not rejoin in time; removed');
    }
    if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
      // Only absent static members remain: wait another rebalance timeout for them or their expiry.
      group.joinTimer = this.deps.timers.setTimeout(() => this.completeJoin(group), group.rebalanceTimeoutMs());
      return;
    }
    group.initNextGeneration();
    if (group.is('Empty')) {
      this.logger.info({ groupId: group.groupId, generationId: group.generationId }, 'group is now empty');
      // Not awaited: nobody waits on an empty group. Until it lands a restart restores the previous
      // Stable generation, whose members then expire, which ends in the same Empty group.
      this.persistState(group, group.stateRecord()).catch((err: unknown) => {
        this.logger.warn({ groupId: group.groupId, err: errorMessage(err) }, 'persisting the empty group failed');
      });
      return;
    }
    // CompletingRebalance is not persisted (as in Kafka): a restart before the leader's SyncGroup
    // restores the previous Stable generation, and members of the lost one get ILLEGAL_GENERATION.
    this.logger.info(
      { groupId: group.groupId, generationId: group.generationId, protocol: group.protocolName, members: group.members.size },
      'group rebalanced',
    );
    for (const m of group.members.values()) {
      m.completeJoin(this.joinResult(group, m.memberId));
      this.scheduleHeartbeatExpiry(group, m);
      m.isNew = false;
    }
  }

  /** Appends a group-state record; `group.persisted` follows once it is durable. */
  private persistState(group: ClassicGroup, record: GroupStateRecord): Promise<void> {
    return this.writer.append(record, () => this.apply(record));
  }

  /**
   * The leader's assignment for the current generation: written first, then (if the generation is
   * still the one waiting for it) the group becomes Stable and every parked SyncGroup is answered.
   * On a failed write the members are sent back to rejoin, as Kafka does, rather than work from an
   * assignment a restart would not restore.
   */
  private persistAssignment(group: ClassicGroup, byMember: Map<string, Buffer>): void {
    const generationId = group.generationId;
    const assignmentOf = (m: GroupMember): Buffer => byMember.get(m.memberId) ?? Buffer.alloc(0);
    group.persistingGeneration = generationId;
    const stillWaiting = (): boolean => {
      if (group.persistingGeneration === generationId) group.persistingGeneration = null;
      // A join, leave or expiry during the write started another rebalance, which answered the syncs.
      return !this.closed && group.is('CompletingRebalance') && group.generationId === generationId;
    };
    this.persistState(group, group.stateRecord(assignmentOf)).then(
      () => {
        if (!stillWaiting()) return;
        // Members the leader did not assign anything get an empty assignment.
        for (const m of group.members.values()) m.assignment = assignmentOf(m);
        group.transitionTo('Stable');
        this.logger.info({ groupId: group.groupId, generationId }, 'assignment received from leader');
        this.propagateAssignment(group, E.NONE, false);
      },
      (err: unknown) => {
        this.logger.error({ groupId: group.groupId, generationId, err: errorMessage(err) }, 'persisting the group assignment failed');
        if (!stillWaiting()) return;
        this.propagateAssignment(group, E.COORDINATOR_NOT_AVAILABLE, true);
        this.maybePrepareRebalance(group, 'persisting the assignment failed');
      },
    );
  }

  /** Answers every parked SyncGroup; with `reset`, assignments are cleared first (a rebalance began). */
  private propagateAssignment(group: ClassicGroup, errorCode: number, reset: boolean): void {
    for (const m of group.members.values()) {
      if (reset) m.assignment = Buffer.alloc(0);
      if (m.completeSync({ errorCode, assignment: m.assignment })) this.scheduleHeartbeatExpiry(group, m);
    }
  }

  // ---- Liveness -----------------------------------------------------------------------------------

  private scheduleHeartbeatExpiry(group: ClassicGroup, member: GroupMember): void {
    this.scheduleExpiry(group, member, member.sessionTimeoutMs);
  }

  private scheduleExpiry(group: ClassicGroup, member: GroupMember, timeoutMs: number): void {
    member.latestHeartbeatMs = this.deps.clock.now();
    member.cancelHeartbeat();
    const deadline = member.latestHeartbeatMs + timeoutMs;
    member.heartbeatTimer = this.deps.timers.setTimeout(() => this.onExpiry(group, member, deadline), timeoutMs);
  }

  private onExpiry(group: ClassicGroup, member: GroupMember, deadline: number): void {
    if (group.members.get(member.memberId) !== member) return;
    if (this.shouldKeepAlive(member, deadline)) return;
    this.logger.info({ groupId: group.groupId, memberId: member.memberId }, 'member session expired; removing it');
    this.removeMemberAndUpdateGroup(group, member);
  }

  /**
   * A member parked in JoinGroup or SyncGroup cannot heartbeat; the join/sync completion reschedules its
   * expiry. The exception is a brand-new member whose first join outlives the new-member timeout.
   */
  private shouldKeepAlive(member: GroupMember, deadline: number): boolean {
    if (member.isAwaitingJoin) return !member.isNew || member.latestHeartbeatMs + NEW_MEMBER_JOIN_TIMEOUT_MS > deadline;
    if (member.isAwaitingSync) return true;
    return member.latestHeartbeatMs + member.sessionTimeoutMs > deadline;
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember): void {
    member.cancelHeartbeat();
    member.completeJoin(joinError('', E.UNKNOWN_MEMBER_ID));
    member.completeSync(syncError(E.UNKNOWN_MEMBER_ID));
    group.remove(member.memberId);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(group, `member ${member.memberId} left`);
        break;
      case 'PreparingRebalance':
        this.tryCompleteJoin(group);
        break;
      case 'Empty':
      case 'Dead':
        break;
    }
  }

  // ---- SyncGroup, Heartbeat, LeaveGroup -----------------------------------------------------------

  syncGroup(r: SyncGroupRequest): Promise<SyncGroupResponse> {
    return new Promise((resolve) => this.handleSync(r, resolve));
  }

  private handleSync(r: SyncGroupRequest, reply: (res: SyncGroupResponse) => void): void {
    if (this.closed) return reply(syncError(E.COORDINATOR_NOT_AVAILABLE));
    const group = this.groups.get(r.groupId);
    if (group === undefined) return reply(syncError(E.UNKNOWN_MEMBER_ID));
    if (group.isStaticMemberFenced(r.memberId, r.groupInstanceId)) return reply(syncError(E.FENCED_INSTANCE_ID));
    const member = group.members.get(r.memberId);
    if (member === undefined) return reply(syncError(E.UNKNOWN_MEMBER_ID));
    if (r.generationId !== group.generationId) return reply(syncError(E.ILLEGAL_GENERATION));
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return reply(syncError(E.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return reply(syncError(E.REBALANCE_IN_PROGRESS));
      case 'CompletingRebalance': {
        member.completeSync(syncError(E.REBALANCE_IN_PROGRESS));
        member.syncWaiter = reply;
        // A leader's repeated SyncGroup while its assignment is being written just waits for that write.
        if (group.isLeader(member.memberId) && group.persistingGeneration !== group.generationId) {
          this.persistAssignment(group, new Map(r.assignments.map((a) => [a.memberId, a.assignment])));
        }
        return;
      }
      case 'Stable':
        this.scheduleHeartbeatExpiry(group, member);
        return reply({ errorCode: E.NONE, assignment: member.assignment });
    }
  }

  heartbeat(r: HeartbeatRequest): { errorCode: number } {
    if (this.closed) return { errorCode: E.COORDINATOR_NOT_AVAILABLE };
    const group = this.groups.get(r.groupId);
    if (group === undefined) return { errorCode: E.UNKNOWN_MEMBER_ID };
    if (group.isStaticMemberFenced(r.memberId, r.groupInstanceId)) return { errorCode: E.FENCED_INSTANCE_ID };
    const member = group.members.get(r.memberId);
    if (member === undefined) return { errorCode: E.UNKNOWN_MEMBER_ID };
    if (r.generationId !== group.generationId) return { errorCode: E.ILLEGAL_GENERATION };
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return { errorCode: E.UNKNOWN_MEMBER_ID };
      case 'PreparingRebalance':
        this.scheduleHeartbeatExpiry(group, member);
        return { errorCode: E.REBALANCE_IN_PROGRESS };
      case 'CompletingRebalance':
      case 'Stable':
        // Heartbeats between JoinGroup and SyncGroup are normal (librdkafka sends them) and keep the session.
        this.scheduleHeartbeatExpiry(group, member);
        return { errorCode: E.NONE };
    }
  }

  leaveGroup(r: LeaveGroupRequest): LeaveGroupResponse {
    if (this.closed) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] };
    const group = this.groups.get(r.groupId);
    const results = r.members.map((leaving) => ({
      memberId: leaving.memberId,
      groupInstanceId: leaving.groupInstanceId,
      errorCode: group === undefined ? E.UNKNOWN_MEMBER_ID : this.leaveOne(group, leaving.memberId, leaving.groupInstanceId),
    }));
    return { errorCode: E.NONE, members: results };
  }

  private leaveOne(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number {
    if (memberId !== '' && group.isStaticMemberFenced(memberId, groupInstanceId)) return E.FENCED_INSTANCE_ID;
    const pending = group.pendingMembers.get(memberId);
    if (pending !== undefined) {
      pending.cancel();
      group.pendingMembers.delete(memberId);
      if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
      return E.NONE;
    }
    const staticId = groupInstanceId === null ? undefined : group.staticMembers.get(groupInstanceId);
    const member = group.members.get(staticId ?? memberId);
    if (member === undefined) return E.UNKNOWN_MEMBER_ID;
    this.logger.info({ groupId: group.groupId, memberId: member.memberId, groupInstanceId }, 'member left the group');
    this.removeMemberAndUpdateGroup(group, member);
    return E.NONE;
  }

  // ---- Offsets ------------------------------------------------------------------------------------

  async commitOffsets(r: CommitOffsetsRequest): Promise<PartitionResult[]> {
    const all = (errorCode: number): PartitionResult[] => r.offsets.map((o) => ({ topic: o.topic, partition: o.partition, errorCode }));
    if (this.closed) return all(E.COORDINATOR_NOT_AVAILABLE);
    let group = this.groups.get(r.groupId);
    if (group === undefined) {
      // A group unknown to us may still store offsets if it does not use group management.
      if (r.generationId >= 0) return all(E.ILLEGAL_GENERATION);
      group = new ClassicGroup(r.groupId);
      this.groups.set(r.groupId, group);
    }
    if (group.isStaticMemberFenced(r.memberId, r.groupInstanceId ?? null)) return all(E.FENCED_INSTANCE_ID);
    if (!(r.generationId < 0 && group.is('Empty'))) {
      const member = group.members.get(r.memberId);
      if (member === undefined) return all(E.UNKNOWN_MEMBER_ID);
      if (r.generationId !== group.generationId) return all(E.ILLEGAL_GENERATION);
      // Commits during CompletingRebalance come from a member that has not synced the new generation yet.
      if (group.is('CompletingRebalance')) return all(E.REBALANCE_IN_PROGRESS);
      // PreparingRebalance still accepts commits: members learn of the rebalance from heartbeats.
      this.scheduleHeartbeatExpiry(group, member);
    }
    return this.storeOffsets(r.groupId, r.offsets, (records) => ({ t: 'offsets', groupId: r.groupId, offsets: records }));
  }

  stageTxnOffsets(r: StageTxnOffsetsRequest): Promise<PartitionResult[]> {
    if (this.closed) {
      return Promise.resolve(r.offsets.map((o) => ({ topic: o.topic, partition: o.partition, errorCode: E.COORDINATOR_NOT_AVAILABLE })));
    }
    // Transactional commits need no membership: the transaction coordinator has fenced the producer.
    if (!this.groups.has(r.groupId)) this.groups.set(r.groupId, new ClassicGroup(r.groupId));
    return this.storeOffsets(r.groupId, r.offsets, (records) => ({
      t: 'txn-offsets',
      groupId: r.groupId,
      producerId: r.producerId.toString(),
      producerEpoch: r.producerEpoch,
      transactionalId: r.transactionalId,
      offsets: records,
    }));
  }

  private async storeOffsets(
    groupId: string,
    offsets: Array<{ topic: string; partition: number; offset: bigint; metadata: string | null; leaderEpoch?: number }>,
    toRecord: (records: OffsetRecord[]) => GroupRecord,
  ): Promise<PartitionResult[]> {
    const maxBytes = this.opts.offsetMetadataMaxBytes ?? DEFAULT_OFFSET_METADATA_MAX_BYTES;
    const now = this.deps.clock.now();
    const accepted: OffsetRecord[] = [];
    const results = offsets.map((o) => {
      if (o.metadata !== null && Buffer.byteLength(o.metadata, 'utf8') > maxBytes) {
        return { topic: o.topic, partition: o.partition, errorCode: E.OFFSET_METADATA_TOO_LARGE };
      }
      accepted.push({
        topic: o.topic,
        partition: o.partition,
        offset: o.offset.toString(),
        metadata: o.metadata,
        leaderEpoch: o.leaderEpoch ?? -1,
        commitTimestampMs: now,
      });
      return { topic: o.topic, partition: o.partition, errorCode: E.NONE };
    });
    if (accepted.length === 0) return results;
    const record = toRecord(accepted);
    try {
      await this.writer.append(record, () => this.apply(record));
      return results;
    } catch (err) {
      this.logger.error({ groupId, err: errorMessage(err) }, 'persisting offsets failed');
      // Retriable for the client, as Kafka answers when the offsets log cannot be written.
      return results.map((res) => (res.errorCode === E.NONE ? { ...res, errorCode: E.COORDINATOR_NOT_AVAILABLE } : res));
    }
  }

  /** Commit makes the producer's staged offsets for the group visible (durably); abort drops them. */
  async completeTxnOffsets(producerId: bigint, groupId: string, commit: boolean): Promise<void> {
    if (!this.offsets.hasStaged(groupId, producerId)) return;
    const record: GroupRecord = { t: 'txn-end', groupId, producerId: producerId.toString(), commit };
    await this.writer.append(record, () => this.apply(record));
  }

  fetchOffsets(r: FetchOffsetsRequest): FetchOffsetsResponse {
    if (this.closed) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, offsets: [] };
    const wanted = r.partitions ?? this.offsets.all(r.groupId).map((po) => ({ topic: po.topic, partition: po.partition }));
    const offsets = wanted.map(({ topic, partition }): FetchedOffset => {
      if (r.requireStable && this.offsets.hasStagedFor(r.groupId, topic, partition)) {
        return { topic, partition, offset: -1n, metadata: null, leaderEpoch: -1, errorCode: E.UNSTABLE_OFFSET_COMMIT };
      }
      const v = this.offsets.get(r.groupId, topic, partition);
      return v === undefined
        ? { topic, partition, offset: -1n, metadata: '', leaderEpoch: -1, errorCode: E.NONE }
        : { topic, partition, offset: v.offset, metadata: v.metadata, leaderEpoch: v.leaderEpoch, errorCode: E.NONE };
    });
    return { errorCode: E.NONE, offsets };
  }

  // ---- Admin --------------------------------------------------------------------------------------

  describeGroup(groupId: string): DescribeGroupResponse {
    if (this.closed) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    const group = this.groups.get(groupId);
    if (group === undefined) return { errorCode: E.NONE, groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    // As in Kafka, metadata and assignments are shown only once they are settled (Stable).
    const stable = group.is('Stable');
    const protocol = stable ? (group.protocolName ?? '') : '';
    return {
      errorCode: E.NONE,
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocol,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? m.metadataFor(protocol) : Buffer.alloc(0),
        assignment: stable ? m.assignment : Buffer.alloc(0),
      })),
    };
  }

  listGroups(): ListedGroup[] {
    if (this.closed) return [];
    return [...this.groups.values()].map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.state }));
  }

  /** Deletes Empty groups and their offsets; others get NON_EMPTY_GROUP, unknown ones GROUP_ID_NOT_FOUND. */
  async deleteGroups(ids: string[]): Promise<Array<{ groupId: string; errorCode: number }>> {
    return Promise.all(
      ids.map(async (groupId) => {
        if (this.closed) return { groupId, errorCode: E.COORDINATOR_NOT_AVAILABLE };
        const group = this.groups.get(groupId);
        if (group === undefined) return { groupId, errorCode: E.GROUP_ID_NOT_FOUND };
        if (!group.is('Empty')) return { groupId, errorCode: E.NON_EMPTY_GROUP };
        const record: GroupRecord = { t: 'group-delete', groupId };
        try {
          await this.writer.append(record, () => this.apply(record));
          this.logger.info({ groupId }, 'group deleted');
          return { groupId, errorCode: E.NONE };
        } catch (err) {
          this.logger.error({ groupId, err: errorMessage(err) }, 'deleting group failed');
          return { groupId, errorCode: E.COORDINATOR_NOT_AVAILABLE };
        }
      }),
    );
  }

  /** Answers parked requests with NOT_COORDINATOR, stops every timer and waits for pending writes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const group of this.groups.values()) {
      group.joinTimer?.cancel();
      group.joinTimer = null;
      for (const timer of group.pendingMembers.values()) timer.cancel();
      for (const m of group.members.values()) {
        m.cancelHeartbeat();
        m.completeJoin(joinError(m.memberId, E.NOT_COORDINATOR));
        m.completeSync(syncError(E.NOT_COORDINATOR));
      }
    }
    await this.writer.flush();
  }

  // ---- Persistence --------------------------------------------------------------------------------

  /** Applies one durable record to memory; used both live (after the append) and on load. */
  private apply(record: GroupRecord): void {
    switch (record.t) {
      case 'group': {
        // Only older logs hold these (written at every generation); read as an Empty group's state.
        const group = this.ensureGroup(record.groupId);
        const previous = group.persisted;
        group.persisted = {
          t: 'group-state',
          groupId: record.groupId,
          protocolType: record.protocolType ?? previous?.protocolType ?? null,
          protocolName: null,
          generationId: Math.max(previous?.generationId ?? 0, record.generationId),
          leader: null,
          members: [],
        };
        return;
      }
      case 'group-state':
        // Live, memory is already at (or past) this state; only the durable view moves. Load restores
        // groups from it once every entry is replayed.
        this.ensureGroup(record.groupId).persisted = record;
        return;
      case 'offsets':
        this.ensureGroup(record.groupId);
        return this.offsets.commit(record.groupId, record.offsets);
      case 'txn-offsets':
        this.ensureGroup(record.groupId);
        return this.offsets.stage(record.groupId, BigInt(record.producerId), record.producerEpoch, record.transactionalId, record.offsets);
      case 'txn-end':
        return this.offsets.completeTxn(record.groupId, BigInt(record.producerId), record.commit);
      case 'group-delete':
        this.offsets.deleteGroup(record.groupId);
        this.groups.delete(record.groupId);
        return;
    }
  }

  private ensureGroup(groupId: string): ClassicGroup {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new ClassicGroup(groupId);
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** What replaying the log would rebuild: each group's last durable state, then the offsets. */
  private snapshot(): object[] {
    const groups = [...this.groups.values()].flatMap((g) => (g.persisted === null ? [] : [g.persisted]));
    return [...groups, ...this.offsets.snapshot()];
  }
}
