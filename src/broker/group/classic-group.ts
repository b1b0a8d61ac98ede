/**
 * State of one classic-protocol group: members, generation, leader and the rebalance state machine.
 * Pure bookkeeping; timers, persistence and replies are the coordinator's job.
 *
 * State machine (as in Kafka):
 *   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader sync──▶ Stable
 *   Stable/CompletingRebalance ──join, leave, expiry──▶ PreparingRebalance ──no members──▶ Empty
 * Invariant: generationId only grows; it is bumped exactly when a join phase completes.
 * A group restored from the store enters Stable directly (see {@link ClassicGroup.restoreStable}).
 */
import { TributaryError } from '../../sdk/errors.ts';
import type { GroupMember } from './group-member.ts';
import type { GroupStateName, JoinGroupMember } from './group-coordinator.ts';
import type { GroupStateRecord } from './group-records.ts';
import type { TimerHandle } from './timer-scheduler.ts';

const VALID_PREVIOUS: Record<GroupStateName, readonly GroupStateName[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

export class ClassicGroup {
  state: GroupStateName = 'Empty';
  generationId = 0;
  /** Set by the first member to join; kept while the group is Empty so offsets keep their type. */
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** Member ids handed out with MEMBER_ID_REQUIRED that have not joined yet, with their expiry timers. */
  readonly pendingMembers = new Map<string, TimerHandle>();
  /** groupInstanceId → memberId of static members. */
  readonly staticMembers = new Map<string, string>();
  /** The join phase's completion timer (rebalance timeout or initial delay). */
  joinTimer: TimerHandle | null = null;
  /** While set, the join phase is in its initial delay and does not complete early. */
  initialDelay: { delayMs: number; remainingMs: number } | null = null;
  /** A new member joined during the initial delay, so the delay may be extended. */
  newMemberAdded = false;
  /**
   * The group as the store last made durable: what a restart would restore, and what compaction writes
   * back. Only set once the append resolved, so it never runs ahead of the log.
   */
  persisted: GroupStateRecord | null = null;
  /** The generation whose leader assignment is being written; SyncGroup answers wait for that write. */
  persistingGeneration: number | null = null;

  constructor(readonly groupId: string) {}

  is(state: GroupStateName): boolean {
    return this.state === state;
  }

  transitionTo(next: GroupStateName): void {
    if (!VALID_PREVIOUS[next].includes(this.state)) {
      throw new TributaryError('INTERNAL', `moving group ${this.groupId} from ${this.state} to ${next}: illegal transition`);
    }
    this.state = next;
  }

  canRebalance(): boolean {
    return VALID_PREVIOUS.PreparingRebalance.includes(this.state);
  }

  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    this.leaderId ??= member.memberId;
  }

  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId);
    if (member === undefined) return undefined;
    this.members.delete(memberId);
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
      this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    return member;
  }

  /**
   * A static member rejoined without its member id: the same member continues under a new id. The
   * returned member carries over the old one's assignment and leadership.
   */
  replaceStaticMember(oldId: string, newMember: GroupMember): void {
    const old = this.members.get(oldId);
    if (old !== undefined) newMember.assignment = old.assignment;
    this.members.delete(oldId);
    this.members.set(newMember.memberId, newMember);
    if (newMember.groupInstanceId !== null) this.staticMembers.set(newMember.groupInstanceId, newMember.memberId);
    if (this.leaderId === oldId) this.leaderId = newMember.memberId;
  }

  /** A known groupInstanceId presented with a member id other than the one it holds: a duplicate instance. */
  isStaticMemberFenced(memberId: string, groupInstanceId: string | null): boolean {
    if (groupInstanceId === null) return false;
    const current = this.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /** Longest rebalance timeout among members: how long the join phase may wait for stragglers. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  hasAllMembersJoined(): boolean {
    if (this.pendingMembers.size > 0) return false;
    for (const m of this.members.values()) if (!m.isAwaitingJoin) return false;
    return true;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  /** Protocol names every member supports, in no particular order. */
  candidateProtocols(): Set<string> {
    const members = [...this.members.values()];
    const first = members[0];
    if (first === undefined) return new Set<string>();
    const candidates = new Set<string>(first.protocols.map((p) => p.name));
    for (const m of members.slice(1)) {
      for (const name of [...candidates]) {
        if (!m.protocols.some((p) => p.name === name)) candidates.delete(name);
      }
    }
    return candidates;
  }

  supportsProtocols(protocolType: string, protocolNames: string[]): boolean {
    if (this.members.size === 0) return protocolType !== '' && protocolNames.length > 0;
    if (this.protocolType !== protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocolNames.some((n) => candidates.has(n));
  }

  /** Each member votes for its most preferred candidate; the most votes wins, ties by first vote seen. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => candidates.has(p.name))?.name;
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = -1;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    if (best === null) throw new TributaryError('INTERNAL', `selecting a protocol for group ${this.groupId}: no common protocol`);
    return best;
  }

  /**
   * Keeps the leader if it rejoined, else promotes any rejoined member. False when nobody rejoined
   * (only static members that have not come back remain).
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    const leader = this.members.get(this.leaderId);
    if (leader?.isAwaitingJoin === true) return true;
    for (const m of this.members.values()) {
      if (m.isAwaitingJoin) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  initNextGeneration(): void {
    this.generationId += 1;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance');
    } else {
      this.protocolName = null;
      this.transitionTo('Empty');
    }
  }

  /**
   * The record of this group's membership, with each member's assignment from `assignmentOf` (by
   * default its current one). Meaningful in Stable (or CompletingRebalance with the leader's new
   * assignment) and in Empty; other states have no settled membership to persist.
   */
  stateRecord(assignmentOf: (m: GroupMember) => Buffer = (m) => m.assignment): GroupStateRecord {
    const members = [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      sessionTimeoutMs: m.sessionTimeoutMs,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      protocols: m.protocols.map((p) => ({ name: p.name, metadata: p.metadata.toString('base64') })),
      assignment: assignmentOf(m).toString('base64'),
    }));
    const empty = members.length === 0;
    return {
      t: 'group-state',
      groupId: this.groupId,
      protocolType: this.protocolType,
      protocolName: empty ? null : this.protocolName,
      generationId: this.generationId,
      leader: empty ? null : this.leaderId,
      members,
    };
  }

  /**
   * Load only: puts a freshly created group straight into the Stable generation the store recorded,
   * bypassing the state machine (the rebalance that led there happened before the restart).
   */
  restoreStable(state: GroupStateRecord, members: GroupMember[]): void {
    if (this.state !== 'Empty' || this.members.size > 0) {
      throw new TributaryError('INTERNAL', `restoring group ${this.groupId}: it is already ${this.state}`);
    }
    this.generationId = state.generationId;
    this.protocolType = state.protocolType;
    this.protocolName = state.protocolName;
    for (const m of members) {
      this.members.set(m.memberId, m);
      if (m.groupInstanceId !== null) this.staticMembers.set(m.groupInstanceId, m.memberId);
    }
    this.leaderId = state.leader;
    this.state = 'Stable';
  }

  /** What the leader receives in its JoinGroup response: every member with its metadata for the chosen protocol. */
  currentMemberMetadata(): JoinGroupMember[] {
    const protocol = this.protocolName ?? '';
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(protocol),
    }));
  }
}
