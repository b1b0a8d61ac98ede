/**
 * One member of a classic consumer group, as the coordinator sees it between requests.
 */
import type { TimerHandle } from './timer-scheduler.ts';
import type { GroupProtocol, JoinGroupResponse, SyncGroupResponse } from './group-coordinator.ts';

export class GroupMember {
  /** Assignment handed out by the leader in the current generation (empty until SyncGroup). */
  assignment: Buffer = Buffer.alloc(0);
  /** Set while the member's JoinGroup is parked until the rebalance completes. */
  joinWaiter: ((r: JoinGroupResponse) => void) | null = null;
  /** Set while the member's SyncGroup is parked until the leader's assignment arrives. */
  syncWaiter: ((r: SyncGroupResponse) => void) | null = null;
  /** True from its first JoinGroup until that join completes: such members get the long join timeout. */
  isNew = false;
  heartbeatTimer: TimerHandle | null = null;
  latestHeartbeatMs = 0;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    public clientId: string,
    public clientHost: string,
    public sessionTimeoutMs: number,
    public rebalanceTimeoutMs: number,
    readonly protocolType: string,
    public protocols: GroupProtocol[],
  ) {}

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  /** Same protocols, same order, same metadata bytes: rejoining with them needs no rebalance. */
  matches(protocols: GroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.protocols[i];
      return mine !== undefined && mine.name === p.name && mine.metadata.equals(p.metadata);
    });
  }

  metadataFor(protocolName: string): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? Buffer.alloc(0);
  }

  /** Hands a parked JoinGroup its answer; false when none was parked. */
  completeJoin(r: JoinGroupResponse): boolean {
    const waiter = this.joinWaiter;
    if (waiter === null) return false;
    this.joinWaiter = null;
    waiter(r);
    return true;
  }

  /** Hands a parked SyncGroup its answer; false when none was parked. */
  completeSync(r: SyncGroupResponse): boolean {
    const waiter = this.syncWaiter;
    if (waiter === null) return false;
    this.syncWaiter = null;
    waiter(r);
    return true;
  }

  cancelHeartbeat(): void {
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = null;
  }
}
