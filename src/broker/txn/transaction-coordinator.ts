/**
 * The transaction coordinator of the embedded broker: InitProducerId, AddPartitionsToTxn,
 * AddOffsetsToTxn, TxnOffsetCommit and EndTxn. It owns the transactionalId → (producerId, epoch)
 * mapping and the transaction state machine, and drives control markers (through {@link TxnMarkerWriter})
 * and transactional offsets (through the {@link GroupCoordinator}).
 */
import type { Clock } from '../../sdk/clock.ts';
import { errorMessage } from '../../sdk/errors.ts';
import type { Logger } from '../../sdk/logger.ts';
import type { CoordinatorStore } from '../group/coordinator-store.ts';
import { KafkaErrorCode as E } from '../group/error-codes.ts';
import type { GroupCoordinator, PartitionResult, TopicPartition } from '../group/group-coordinator.ts';
import { StoreWriter } from '../group/store-writer.ts';
import type { TimerHandle, TimerScheduler } from '../group/timer-scheduler.ts';
import { KeyedLock } from './keyed-lock.ts';
import {
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  decodeTxnEntry,
  isEpochExhausted,
  toRecord,
  unionPartitions,
  type TxnState,
} from './txn-state.ts';

export interface TxnMarkerWriter {
  /** Appends a COMMIT or ABORT control batch for the producer to every partition; resolves when durable. */
  writeMarkers(
    partitions: TopicPartition[],
    o: { producerId: bigint; producerEpoch: number; commit: boolean; coordinatorEpoch: number },
  ): Promise<void>;
}

/** Hands out producer ids; a persisted high-water mark guarantees no id repeats across restarts. */
export interface ProducerIdAllocator {
  next(): Promise<bigint>;
}

export interface TransactionCoordinatorDeps {
  clock: Clock;
  logger: Logger;
  store: CoordinatorStore;
  timers: TimerScheduler;
  markers: TxnMarkerWriter;
  groups: GroupCoordinator;
  producerIds: ProducerIdAllocator;
}

export interface TransactionCoordinatorOptions {
  /** transaction.max.timeout.ms: larger requested timeouts get INVALID_TRANSACTION_TIMEOUT. */
  maxTransactionTimeoutMs: number;
  /** How often ongoing transactions are checked for expiry. */
  abortCheckIntervalMs: number;
  /** Rewrite the store after this many appends (default 10000; 0 never). */
  compactAfterAppends?: number;
}

export interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
  /** -1n unless the producer is recovering its epoch (KIP-360). */
  producerId: bigint;
  /** -1 unless the producer is recovering its epoch (KIP-360). */
  producerEpoch: number;
}

export interface InitProducerIdResponse {
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}

export interface AddPartitionsToTxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  partitions: TopicPartition[];
}

export interface AddOffsetsToTxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  groupId: string;
}

export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: bigint;
  producerEpoch: number;
  offsets: Array<{ topic: string; partition: number; offset: bigint; metadata: string | null }>;
}

export interface EndTxnRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  commit: boolean;
}

export type TxnStateName = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort' | 'Dead';

export interface DescribedTransaction {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  state: TxnStateName;
  transactionTimeoutMs: number;
  /** Clock time the current transaction started, -1 when none is ongoing. */
  startTimeMs: number;
  partitions: TopicPartition[];
  groups: string[];
}

const DEFAULT_COMPACT_AFTER_APPENDS = 10_000;

type Result<T> = { ok: true; value: T } | { ok: false; errorCode: number };
const fail = (errorCode: number): { ok: false; errorCode: number } => ({ ok: false, errorCode });

/**
 * Contract for callers (the request handlers):
 * - Requests for one transactionalId run one at a time, in arrival order, each to completion: EndTxn
 *   and a fencing InitProducerId reply only after the markers are written and the group offsets are
 *   completed. So a client never sees CONCURRENT_TRANSACTIONS from a healthy coordinator.
 * - Stale producers get PRODUCER_FENCED (90), except in TxnOffsetCommit (INVALID_PRODUCER_EPOCH, 47).
 *   Clients older than KIP-588 do not know 90: handlers map it with `fencedErrorFor` (fenced-error.ts).
 * - Markers carry `coordinatorEpoch`, which grows by one on every load, so a log can reject markers
 *   from a coordinator instance that has been replaced.
 * - If writing markers fails, the decision (PrepareCommit/PrepareAbort) is already durable: the
 *   request gets COORDINATOR_NOT_AVAILABLE, and the completion is retried by the next request for that
 *   transactionalId, by the periodic check, and on the next load.
 */
export class TransactionCoordinator {
  private readonly txns = new Map<string, TxnState>();
  private readonly locks = new KeyedLock();
  private readonly writer: StoreWriter;
  private readonly logger: Logger;
  private coordinatorEpoch = 0;
  private checkTimer: TimerHandle | null = null;
  private closed = false;

  private constructor(
    private readonly deps: TransactionCoordinatorDeps,
    private readonly opts: TransactionCoordinatorOptions,
  ) {
    this.logger = deps.logger.child({ component: 'transaction-coordinator' });
    this.writer = new StoreWriter(deps.store, this.logger, {
      compactAfterAppends: opts.compactAfterAppends ?? DEFAULT_COMPACT_AFTER_APPENDS,
      snapshot: () => [{ t: 'coordinator-epoch', epoch: this.coordinatorEpoch }, ...[...this.txns.values()].map(toRecord)],
    });
  }

  /**
   * Restores every transactionalId, finishes transactions that were mid-completion (PrepareCommit /
   * PrepareAbort: markers rewritten, group offsets completed), keeps Ongoing ones (aborted later when
   * they time out) and starts the periodic timeout check. The group coordinator must be loaded first.
   */
  static async load(deps: TransactionCoordinatorDeps, opts: TransactionCoordinatorOptions): Promise<TransactionCoordinator> {
    const coordinator = new TransactionCoordinator(deps, opts);
    let previousEpoch = 0;
    let skipped = 0;
    for (const raw of await deps.store.load()) {
      const entry = decodeTxnEntry(raw);
      if (entry === null) skipped += 1;
      else if ('t' in entry) previousEpoch = Math.max(previousEpoch, entry.epoch);
      else coordinator.txns.set(entry.transactionalId, entry);
    }
    if (skipped > 0) coordinator.logger.warn({ skipped }, 'skipped unrecognised transaction store entries');
    const epoch = previousEpoch + 1;
    await coordinator.writer.append({ t: 'coordinator-epoch', epoch }, () => {
      coordinator.coordinatorEpoch = epoch;
    });
    for (const s of [...coordinator.txns.values()]) {
      if (s.state !== 'PrepareCommit' && s.state !== 'PrepareAbort') continue;
      coordinator.logger.info({ transactionalId: s.transactionalId, state: s.state }, 'completing transaction found mid-completion');
      await coordinator.locks.run(s.transactionalId, () => coordinator.completePrepared(s)).catch((err: unknown) => {
        coordinator.logger.error({ transactionalId: s.transactionalId, err: errorMessage(err) }, 'completing recovered transaction failed; will retry');
      });
    }
    coordinator.logger.info({ transactionalIds: coordinator.txns.size, coordinatorEpoch: epoch }, 'loaded transaction coordinator state');
    coordinator.scheduleCheck();
    return coordinator;
  }

  // ---- InitProducerId -----------------------------------------------------------------------------

  async initProducerId(r: InitProducerIdRequest): Promise<InitProducerIdResponse> {
    const error = (errorCode: number): InitProducerIdResponse => ({ errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH });
    if (this.closed) return error(E.COORDINATOR_NOT_AVAILABLE);
    if (r.transactionalId === null) {
      // Idempotent producer: always a fresh id; epochs are never bumped for it.
      return { errorCode: E.NONE, producerId: await this.deps.producerIds.next(), producerEpoch: 0 };
    }
    if (r.transactionalId === '') return error(E.INVALID_REQUEST);
    if (r.transactionTimeoutMs <= 0 || r.transactionTimeoutMs > this.opts.maxTransactionTimeoutMs) return error(E.INVALID_TRANSACTION_TIMEOUT);
    const transactionalId = r.transactionalId;
    const expected = r.producerId === NO_PRODUCER_ID ? null : { producerId: r.producerId, producerEpoch: r.producerEpoch };
    return this.locks.run(transactionalId, async () => {
      let s = this.txns.get(transactionalId) ?? (await this.newTxnState(transactionalId, r.transactionTimeoutMs));
      if (expected !== null && !isValidProducerId(s, expected)) return error(E.PRODUCER_FENCED);
      const settled = await this.settleForInit(s);
      if (!settled.ok) return error(settled.errorCode);
      s = settled.value;
      const next = await this.nextProducerIdAndEpoch(s, expected);
      if (!next.ok) return error(next.errorCode);
      const written = await this.persist({
        ...next.value,
        state: 'Empty',
        timeoutMs: r.transactionTimeoutMs,
        partitions: [],
        groups: [],
        startMs: -1,
        updateMs: this.deps.clock.now(),
      });
      if (!written.ok) return error(written.errorCode);
      this.logger.info(
        { transactionalId, producerId: written.value.producerId.toString(), producerEpoch: written.value.producerEpoch },
        'initialized transactional producer',
      );
      return { errorCode: E.NONE, producerId: written.value.producerId, producerEpoch: written.value.producerEpoch };
    });
  }

  private async newTxnState(transactionalId: string, timeoutMs: number): Promise<TxnState> {
    return {
      transactionalId,
      producerId: await this.deps.producerIds.next(),
      lastProducerId: NO_PRODUCER_ID,
      producerEpoch: NO_PRODUCER_EPOCH,
      lastProducerEpoch: NO_PRODUCER_EPOCH,
      timeoutMs,
      state: 'Empty',
      partitions: [],
      groups: [],
      startMs: -1,
      updateMs: this.deps.clock.now(),
    };
  }

  /**
   * Brings a transactionalId to a state where a new epoch may be issued: a transaction left
   * mid-completion is completed, and an ongoing one (of the producer being replaced) is aborted under a
   * bumped epoch, markers included, so the old producer is fenced on every partition it touched.
   */
  private async settleForInit(s: TxnState): Promise<Result<TxnState>> {
    let current = s;
    if (current.state === 'PrepareCommit' || current.state === 'PrepareAbort') {
      const done = await this.tryCompletePrepared(current);
      if (!done.ok) return done;
      current = done.value;
    }
    if (current.state === 'Ongoing') {
      const aborted = await this.fenceAndAbort(current, 'a new producer initialized');
      if (!aborted.ok) return aborted;
      current = aborted.value;
    }
    return { ok: true, value: current };
  }

  /** Kafka's epoch rules: bump, recognise a retried bump, rotate the id when the epoch is exhausted, or fence. */
  private async nextProducerIdAndEpoch(
    s: TxnState,
    expected: { producerId: bigint; producerEpoch: number } | null,
  ): Promise<Result<Pick<TxnState, 'transactionalId' | 'producerId' | 'lastProducerId' | 'producerEpoch' | 'lastProducerEpoch'>>> {
    const base = { transactionalId: s.transactionalId, producerId: s.producerId, lastProducerId: s.lastProducerId };
    if (isEpochExhausted(s.producerEpoch) && (expected === null || expected.producerEpoch === s.producerEpoch)) {
      const producerId = await this.deps.producerIds.next();
      return {
        ok: true,
        value: {
          transactionalId: s.transactionalId,
          producerId,
          lastProducerId: s.producerId,
          producerEpoch: 0,
          lastProducerEpoch: expected === null ? NO_PRODUCER_EPOCH : s.producerEpoch,
        },
      };
    }
    if (expected === null) return { ok: true, value: { ...base, producerEpoch: s.producerEpoch + 1, lastProducerEpoch: NO_PRODUCER_EPOCH } };
    if (s.producerEpoch === NO_PRODUCER_EPOCH || expected.producerEpoch === s.producerEpoch) {
      // KIP-360: the current producer asks for a new epoch to recover from an error.
      return { ok: true, value: { ...base, producerEpoch: s.producerEpoch + 1, lastProducerEpoch: s.producerEpoch } };
    }
    if (expected.producerEpoch === s.lastProducerEpoch) {
      // A retry of a bump that succeeded but whose reply was lost: answer with the current epoch again.
      return { ok: true, value: { ...base, producerEpoch: s.producerEpoch, lastProducerEpoch: s.lastProducerEpoch } };
    }
    return fail(E.PRODUCER_FENCED);
  }

  // ---- AddPartitionsToTxn / AddOffsetsToTxn -------------------------------------------------------

  async addPartitionsToTxn(r: AddPartitionsToTxnRequest): Promise<PartitionResult[]> {
    const all = (errorCode: number): PartitionResult[] => r.partitions.map((p) => ({ topic: p.topic, partition: p.partition, errorCode }));
    if (this.closed) return all(E.COORDINATOR_NOT_AVAILABLE);
    if (r.transactionalId === '') return all(E.INVALID_REQUEST);
    return this.locks.run(r.transactionalId, async () => {
      const ready = await this.readyForTxn(r.transactionalId, r.producerId, r.producerEpoch);
      if (!ready.ok) return all(ready.errorCode);
      const s = ready.value;
      const partitions = s.state === 'Ongoing' ? unionPartitions(s.partitions, r.partitions) : unionPartitions([], r.partitions);
      if (s.state === 'Ongoing' && partitions.length === s.partitions.length) return all(E.NONE);
      const written = await this.persist(this.begin(s, { partitions }));
      return all(written.ok ? E.NONE : written.errorCode);
    });
  }

  async addOffsetsToTxn(r: AddOffsetsToTxnRequest): Promise<{ errorCode: number }> {
    if (this.closed) return { errorCode: E.COORDINATOR_NOT_AVAILABLE };
    if (r.transactionalId === '') return { errorCode: E.INVALID_REQUEST };
    return this.locks.run(r.transactionalId, async () => {
      const ready = await this.readyForTxn(r.transactionalId, r.producerId, r.producerEpoch);
      if (!ready.ok) return { errorCode: ready.errorCode };
      const s = ready.value;
      if (s.state === 'Ongoing' && s.groups.includes(r.groupId)) return { errorCode: E.NONE };
      const groups = s.state === 'Ongoing' ? [...s.groups, r.groupId] : [r.groupId];
      const written = await this.persist(this.begin(s, { groups }));
      return { errorCode: written.ok ? E.NONE : written.errorCode };
    });
  }

  /** Starts or extends the transaction; the start time is kept while it stays Ongoing. */
  private begin(s: TxnState, change: { partitions?: TxnState['partitions']; groups?: TxnState['groups'] }): TxnState {
    const ongoing = s.state === 'Ongoing';
    const now = this.deps.clock.now();
    return {
      ...s,
      state: 'Ongoing',
      partitions: change.partitions ?? (ongoing ? s.partitions : []),
      groups: change.groups ?? (ongoing ? s.groups : []),
      startMs: ongoing ? s.startMs : now,
      updateMs: now,
    };
  }

  /** Validates the producer and finishes any completion left over from a failed attempt. */
  private async readyForTxn(transactionalId: string, producerId: bigint, producerEpoch: number): Promise<Result<TxnState>> {
    const s = this.txns.get(transactionalId);
    if (s === undefined || s.producerId !== producerId) return fail(E.INVALID_PRODUCER_ID_MAPPING);
    if (s.producerEpoch !== producerEpoch) return fail(E.PRODUCER_FENCED);
    if (s.state === 'PrepareCommit' || s.state === 'PrepareAbort') {
      const done = await this.tryCompletePrepared(s);
      return done.ok ? done : fail(E.CONCURRENT_TRANSACTIONS);
    }
    return { ok: true, value: s };
  }

  // ---- Produce verification -----------------------------------------------------------------------

  /**
   * Whether a transactional Produce may write to a partition (Kafka's transaction verification,
   * KIP-890): the producer must hold the transactionalId's current epoch and the partition must be
   * part of its ongoing transaction. Without it, a fenced producer writing to a partition whose log
   * never saw the new epoch would open a transaction there that no marker ever ends, and the
   * partition's last stable offset would stop for good.
   *
   * Answers in Produce's terms: a stale epoch is INVALID_PRODUCER_EPOCH (every Produce version knows
   * it; Kafka converts PRODUCER_FENCED the same way), a partition not added is INVALID_TXN_STATE.
   * Synchronous, so the produce handler still reaches every log before its first await. It reads
   * without the transactionalId's lock, which is safe because a client produces to a partition only
   * after AddPartitionsToTxn answered, and the state is updated in memory before that answer is sent.
   */
  verifyProduce(transactionalId: string, producerId: bigint, producerEpoch: number, tp: TopicPartition): number {
    const s = this.txns.get(transactionalId);
    if (s === undefined || s.producerId !== producerId) return E.INVALID_PRODUCER_ID_MAPPING;
    if (s.producerEpoch !== producerEpoch) return E.INVALID_PRODUCER_EPOCH;
    if (s.state !== 'Ongoing' || !s.partitions.some((p) => p.topic === tp.topic && p.partition === tp.partition)) return E.INVALID_TXN_STATE;
    return E.NONE;
  }

  // ---- TxnOffsetCommit ----------------------------------------------------------------------------

  async txnOffsetCommit(r: TxnOffsetCommitRequest): Promise<PartitionResult[]> {
    const all = (errorCode: number): PartitionResult[] => r.offsets.map((o) => ({ topic: o.topic, partition: o.partition, errorCode }));
    if (this.closed) return all(E.COORDINATOR_NOT_AVAILABLE);
    if (r.transactionalId === '') return all(E.INVALID_REQUEST);
    return this.locks.run(r.transactionalId, async () => {
      const s = this.txns.get(r.transactionalId);
      if (s === undefined || s.producerId !== r.producerId) return all(E.INVALID_PRODUCER_ID_MAPPING);
      // No TxnOffsetCommit version announces PRODUCER_FENCED; Kafka answers a stale epoch here with this.
      if (s.producerEpoch !== r.producerEpoch) return all(E.INVALID_PRODUCER_EPOCH);
      // The group must have been added (AddOffsetsToTxn) so that EndTxn knows to complete its offsets.
      if (s.state !== 'Ongoing' || !s.groups.includes(r.groupId)) return all(E.INVALID_TXN_STATE);
      // Staged under the lock, so EndTxn for this transactionalId cannot run between check and stage.
      return this.deps.groups.stageTxnOffsets({
        transactionalId: r.transactionalId,
        producerId: r.producerId,
        producerEpoch: r.producerEpoch,
        groupId: r.groupId,
        offsets: r.offsets,
      });
    });
  }

  // ---- EndTxn -------------------------------------------------------------------------------------

  async endTxn(r: EndTxnRequest): Promise<{ errorCode: number }> {
    if (this.closed) return { errorCode: E.COORDINATOR_NOT_AVAILABLE };
    if (r.transactionalId === '') return { errorCode: E.INVALID_REQUEST };
    return this.locks.run(r.transactionalId, async () => {
      const s = this.txns.get(r.transactionalId);
      if (s === undefined || s.producerId !== r.producerId) return { errorCode: E.INVALID_PRODUCER_ID_MAPPING };
      if (s.producerEpoch !== r.producerEpoch) return { errorCode: E.PRODUCER_FENCED };
      const wanted = r.commit ? 'Commit' : 'Abort';
      switch (s.state) {
        case 'Ongoing': {
          const prepared = await this.persist({ ...s, state: `Prepare${wanted}`, updateMs: this.deps.clock.now() });
          if (!prepared.ok) return { errorCode: prepared.errorCode };
          const done = await this.tryCompletePrepared(prepared.value);
          return { errorCode: done.ok ? E.NONE : done.errorCode };
        }
        case 'PrepareCommit':
        case 'PrepareAbort': {
          // Only reachable after a completion failed; the same decision retried finishes it.
          if (s.state !== `Prepare${wanted}`) return { errorCode: E.INVALID_TXN_STATE };
          const done = await this.tryCompletePrepared(s);
          return { errorCode: done.ok ? E.NONE : done.errorCode };
        }
        case 'CompleteCommit':
        case 'CompleteAbort':
          // A retried EndTxn whose first reply was lost.
          return { errorCode: s.state === `Complete${wanted}` ? E.NONE : E.INVALID_TXN_STATE };
        case 'Empty':
        case 'Dead':
          return { errorCode: E.INVALID_TXN_STATE };
      }
    });
  }

  // ---- Completion ---------------------------------------------------------------------------------

  /**
   * Writes the markers and completes the group offsets of a prepared transaction, then records it
   * Complete. Safe to repeat: markers are idempotent for the log, and completing offsets twice is a no-op.
   */
  private async completePrepared(s: TxnState): Promise<TxnState> {
    const commit = s.state === 'PrepareCommit';
    if (s.partitions.length > 0) {
      await this.deps.markers.writeMarkers([...s.partitions], {
        producerId: s.producerId,
        producerEpoch: s.producerEpoch,
        commit,
        coordinatorEpoch: this.coordinatorEpoch,
      });
    }
    for (const groupId of s.groups) await this.deps.groups.completeTxnOffsets(s.producerId, groupId, commit);
    const complete: TxnState = {
      ...s,
      state: commit ? 'CompleteCommit' : 'CompleteAbort',
      partitions: [],
      groups: [],
      startMs: -1,
      updateMs: this.deps.clock.now(),
    };
    await this.writer.append(toRecord(complete), () => this.txns.set(s.transactionalId, complete));
    this.logger.debug({ transactionalId: s.transactionalId, state: complete.state }, 'transaction completed');
    return complete;
  }

  private async tryCompletePrepared(s: TxnState): Promise<Result<TxnState>> {
    try {
      return { ok: true, value: await this.completePrepared(s) };
    } catch (err) {
      this.logger.error({ transactionalId: s.transactionalId, state: s.state, err: errorMessage(err) }, 'completing transaction failed; will retry');
      return fail(E.COORDINATOR_NOT_AVAILABLE);
    }
  }

  /**
   * Aborts an ongoing transaction on the coordinator's initiative (a new producer, or a timeout). The
   * epoch is bumped first, so the abort markers fence the old producer on every partition; at the
   * last usable epoch it is left as is and the next InitProducerId rotates the producer id instead.
   */
  private async fenceAndAbort(s: TxnState, reason: string): Promise<Result<TxnState>> {
    const producerEpoch = isEpochExhausted(s.producerEpoch) ? s.producerEpoch : s.producerEpoch + 1;
    this.logger.info({ transactionalId: s.transactionalId, producerEpoch, reason }, 'aborting ongoing transaction');
    const prepared = await this.persist({
      ...s,
      producerEpoch,
      lastProducerEpoch: NO_PRODUCER_EPOCH,
      state: 'PrepareAbort',
      updateMs: this.deps.clock.now(),
    });
    if (!prepared.ok) return prepared;
    return this.tryCompletePrepared(prepared.value);
  }

  private async persist(next: TxnState): Promise<Result<TxnState>> {
    try {
      await this.writer.append(toRecord(next), () => this.txns.set(next.transactionalId, next));
      return { ok: true, value: next };
    } catch (err) {
      this.logger.error({ transactionalId: next.transactionalId, err: errorMessage(err) }, 'persisting transaction state failed');
      return fail(E.COORDINATOR_NOT_AVAILABLE);
    }
  }

  // ---- Timeouts -----------------------------------------------------------------------------------

  /**
   * Fixed-rate check. The scan is synchronous and the aborts it starts queue on each transactionalId's
   * lock and re-check under it, so overlapping checks cannot abort anything twice.
   */
  private scheduleCheck(): void {
    if (this.closed) return;
    this.checkTimer = this.deps.timers.setTimeout(() => {
      this.checkTimer = null;
      this.scheduleCheck();
      this.checkTransactions().catch((err: unknown) => this.logger.error({ err: errorMessage(err) }, 'checking transaction timeouts failed'));
    }, this.opts.abortCheckIntervalMs);
  }

  /**
   * Aborts transactions ongoing for longer than their timeout (fencing the producer, as Kafka does)
   * and retries completions that failed earlier. Exposed for tests and ops; normally timer-driven.
   */
  async checkTransactions(): Promise<void> {
    const now = this.deps.clock.now();
    const work: Array<Promise<unknown>> = [];
    for (const s of this.txns.values()) {
      const expired = s.state === 'Ongoing' && now > s.startMs + s.timeoutMs;
      const stuck = s.state === 'PrepareCommit' || s.state === 'PrepareAbort';
      if (!expired && !stuck) continue;
      work.push(
        this.locks.run(s.transactionalId, async () => {
          if (this.closed) return;
          // Re-read under the lock: the producer may have ended or replaced the transaction meanwhile.
          const current = this.txns.get(s.transactionalId);
          if (current === undefined) return;
          if (current.state === 'Ongoing' && this.deps.clock.now() > current.startMs + current.timeoutMs) {
            await this.fenceAndAbort(current, `transaction timed out after ${current.timeoutMs} ms`);
          } else if (current.state === 'PrepareCommit' || current.state === 'PrepareAbort') {
            await this.tryCompletePrepared(current);
          }
        }),
      );
    }
    await Promise.all(work);
  }

  // ---- Ops ----------------------------------------------------------------------------------------

  describe(): DescribedTransaction[] {
    return [...this.txns.values()].map((s) => ({
      transactionalId: s.transactionalId,
      producerId: s.producerId,
      producerEpoch: s.producerEpoch,
      state: s.state,
      transactionTimeoutMs: s.timeoutMs,
      startTimeMs: s.startMs,
      partitions: s.partitions.map((p) => ({ ...p })),
      groups: [...s.groups],
    }));
  }

  /** Stops the timeout check, lets requests in progress finish and waits for pending writes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.checkTimer?.cancel();
    this.checkTimer = null;
    await this.locks.idle();
    await this.writer.flush();
  }
}

/**
 * Whether an InitProducerId naming a producer (KIP-360) may proceed: the mapping is brand new, the id
 * is the current one (the epoch is checked later), or it is the previous id at an exhausted epoch (a
 * retry after a rotation whose reply was lost).
 */
function isValidProducerId(s: TxnState, expected: { producerId: bigint; producerEpoch: number }): boolean {
  return (
    s.producerEpoch === NO_PRODUCER_EPOCH ||
    expected.producerId === s.producerId ||
    (expected.producerId === s.lastProducerId && isEpochExhausted(expected.producerEpoch))
  );
}
