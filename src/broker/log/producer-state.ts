/**
 * Per-producer state of one partition (Kafka's ProducerStateManager): the producer's epoch, its last
 * five batches' sequence ranges (for idempotent de-duplication), and its open transaction.
 *
 * Rules, as Kafka applies them to client appends:
 * - an epoch lower than the producer's current one is rejected (INVALID_PRODUCER_EPOCH);
 * - a retried batch equal to one of the cached five is a duplicate and is not written again;
 * - within an epoch, a batch must start at lastSeq + 1 (wrapping at 2^31-1), else
 *   OUT_OF_ORDER_SEQUENCE_NUMBER; a new epoch must start at sequence 0, unless the producer is unknown
 *   here (its state expired or was never seen), which accepts any sequence;
 * - a non-transactional batch from a producer with an open transaction is INVALID_TXN_STATE.
 * Changes are staged in a {@link ProducerUpdate} and committed only after the write succeeded, so a
 * failed append leaves the state untouched.
 */

import { INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE, LogError, OUT_OF_ORDER_SEQUENCE_NUMBER, TRANSACTION_COORDINATOR_FENCED } from './errors.ts';
import { lastSequenceOf, NO_PRODUCER_EPOCH, type BatchHeader } from './record-batch.ts';

/** Batches remembered per producer for de-duplication, as Kafka (max.in.flight <= 5). */
export const MAX_CACHED_BATCHES = 5;

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: bigint;
  lastOffset: bigint;
}

export interface ProducerEntry {
  producerId: bigint;
  epoch: number;
  batches: BatchMetadata[];
  coordinatorEpoch: number;
  /** First offset of the open transaction, or null when none is open. */
  currentTxnFirstOffset: bigint | null;
  /** Max timestamp of the producer's last batch (Kafka's basis for producer expiry). */
  lastTimestamp: bigint;
  /** Offset of the last data batch's last record, -1 if none. */
  lastDataOffset: bigint;
}

export interface CompletedTxn {
  producerId: bigint;
  firstOffset: bigint;
  lastOffset: bigint;
  aborted: boolean;
}

function cloneEntry(e: ProducerEntry): ProducerEntry {
  return { ...e, batches: e.batches.slice() };
}

function newEntry(producerId: bigint): ProducerEntry {
  return { producerId, epoch: NO_PRODUCER_EPOCH, batches: [], coordinatorEpoch: -1, currentTxnFirstOffset: null, lastTimestamp: -1n, lastDataOffset: -1n };
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === 0x7fffffff);
}

export class ProducerStateManager {
  private readonly entries = new Map<bigint, ProducerEntry>();
  /** producerId -> first offset of its open transaction; kept beside `entries` so LSO is cheap. */
  private readonly open = new Map<bigint, bigint>();
  private firstUnstable: bigint | null = null;

  get(producerId: bigint): Readonly<ProducerEntry> | undefined {
    return this.entries.get(producerId);
  }

  all(): IterableIterator<Readonly<ProducerEntry>> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  /** First offset of the earliest open transaction, or null when none is open. */
  firstUnstableOffset(): bigint | null {
    return this.firstUnstable;
  }

  /** Open transactions: producerId -> first offset. */
  openTransactions(): ReadonlyMap<bigint, bigint> {
    return this.open;
  }

  ongoing(): Array<{ producerId: bigint; producerEpoch: number; firstOffset: bigint }> {
    const out: Array<{ producerId: bigint; producerEpoch: number; firstOffset: bigint }> = [];
    for (const [pid, firstOffset] of this.open) {
      out.push({ producerId: pid, producerEpoch: this.entries.get(pid)?.epoch ?? NO_PRODUCER_EPOCH, firstOffset });
    }
    return out.sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  }

  begin(): ProducerUpdate {
    return new ProducerUpdate(this);
  }

  /** @internal called by {@link ProducerUpdate.commit}. */
  commitEntries(staged: Map<bigint, ProducerEntry>): void {
    let changed = false;
    for (const [pid, e] of staged) {
      this.entries.set(pid, e);
      if (e.currentTxnFirstOffset !== null) {
        if (this.open.get(pid) !== e.currentTxnFirstOffset) {
          this.open.set(pid, e.currentTxnFirstOffset);
          changed = true;
        }
      } else if (this.open.delete(pid)) {
        changed = true;
      }
    }
    if (changed) this.recomputeFirstUnstable();
  }

  private recomputeFirstUnstable(): void {
    let min: bigint | null = null;
    for (const first of this.open.values()) if (min === null || first < min) min = first;
    this.firstUnstable = min;
  }

  /**
   * Drops producers idle longer than `expirationMs` (by their last batch timestamp), never one with
   * an open transaction. Returns how many were dropped.
   */
  expire(nowMs: number, expirationMs: number): number {
    let n = 0;
    for (const [pid, e] of this.entries) {
      if (e.currentTxnFirstOffset === null && BigInt(nowMs) - e.lastTimestamp >= BigInt(expirationMs)) {
        this.entries.delete(pid);
        n++;
      }
    }
    return n;
  }

  clear(): void {
    this.entries.clear();
    this.open.clear();
    this.firstUnstable = null;
  }

  // Snapshot: JSON with bigints as decimal strings. Written at segment roll and close.
  toSnapshot(offset: bigint): string {
    const producers = [...this.entries.values()].map((e) => ({
      producerId: e.producerId.toString(),
      epoch: e.epoch,
      coordinatorEpoch: e.coordinatorEpoch,
      currentTxnFirstOffset: e.currentTxnFirstOffset?.toString() ?? null,
      lastTimestamp: e.lastTimestamp.toString(),
      lastDataOffset: e.lastDataOffset.toString(),
      batches: e.batches.map((b) => [b.firstSeq, b.lastSeq, b.firstOffset.toString(), b.lastOffset.toString()]),
    }));
    return JSON.stringify({ version: 1, offset: offset.toString(), producers });
  }

  /** Replaces the state with a snapshot's; throws on a malformed snapshot. */
  loadSnapshot(text: string): bigint {
    const snap = JSON.parse(text) as SnapshotJson;
    if (snap.version !== 1 || !Array.isArray(snap.producers)) throw new Error('unsupported producer snapshot');
    this.clear();
    for (const p of snap.producers) {
      const pid = BigInt(p.producerId);
      this.entries.set(pid, {
        producerId: pid,
        epoch: p.epoch,
        coordinatorEpoch: p.coordinatorEpoch,
        currentTxnFirstOffset: p.currentTxnFirstOffset === null ? null : BigInt(p.currentTxnFirstOffset),
        lastTimestamp: BigInt(p.lastTimestamp),
        lastDataOffset: BigInt(p.lastDataOffset),
        batches: p.batches.map(([firstSeq, lastSeq, firstOffset, lastOffset]) => ({ firstSeq, lastSeq, firstOffset: BigInt(firstOffset), lastOffset: BigInt(lastOffset) })),
      });
      if (p.currentTxnFirstOffset !== null) this.open.set(pid, BigInt(p.currentTxnFirstOffset));
    }
    this.recomputeFirstUnstable();
    return BigInt(snap.offset);
  }
}

interface SnapshotJson {
  version: number;
  offset: string;
  producers: Array<{
    producerId: string;
    epoch: number;
    coordinatorEpoch: number;
    currentTxnFirstOffset: string | null;
    lastTimestamp: string;
    lastDataOffset: string;
    batches: Array<[number, number, string, string]>;
  }>;
}

/** Staged changes of one append; invisible to the manager until {@link commit}. */
export class ProducerUpdate {
  private readonly staged = new Map<bigint, ProducerEntry>();

  constructor(private readonly manager: ProducerStateManager) {}

  private entry(producerId: bigint): { entry: ProducerEntry; known: boolean } {
    const staged = this.staged.get(producerId);
    if (staged !== undefined) return { entry: staged, known: true };
    const current = this.manager.get(producerId);
    const entry = current === undefined ? newEntry(producerId) : cloneEntry(current);
    this.staged.set(producerId, entry);
    return { entry, known: current !== undefined };
  }

  /** A cached batch equal to `h` (same epoch and sequence range), meaning `h` is a retry. */
  findDuplicate(h: BatchHeader): BatchMetadata | undefined {
    const e = this.staged.get(h.producerId) ?? this.manager.get(h.producerId);
    if (e === undefined || e.epoch !== h.producerEpoch || h.baseSequence < 0) return undefined;
    const lastSeq = lastSequenceOf(h);
    return e.batches.find((b) => b.firstSeq === h.baseSequence && b.lastSeq === lastSeq);
  }

  /**
   * Applies a data batch now at [firstOffset, lastOffset]. With `validate` (client appends) the epoch,
   * sequence and transaction rules are enforced; recovery replays without them.
   */
  appendData(h: BatchHeader, firstOffset: bigint, lastOffset: bigint, validate: boolean): void {
    const { entry, known } = this.entry(h.producerId);
    if (validate) {
      if (known && h.producerEpoch < entry.epoch) {
        throw new LogError(INVALID_PRODUCER_EPOCH, `producer ${h.producerId} epoch ${h.producerEpoch} is older than the current epoch ${entry.epoch}`);
      }
      if (h.baseSequence >= 0) this.checkSequence(entry, known, h);
      if (!h.isTransactional && entry.currentTxnFirstOffset !== null) {
        throw new LogError(INVALID_TXN_STATE, `producer ${h.producerId} wrote a non-transactional batch while its transaction is open`);
      }
    }
    if (h.producerEpoch !== entry.epoch) {
      entry.epoch = h.producerEpoch;
      entry.batches = [];
    }
    if (h.baseSequence >= 0) {
      entry.batches.push({ firstSeq: h.baseSequence, lastSeq: lastSequenceOf(h), firstOffset, lastOffset });
      if (entry.batches.length > MAX_CACHED_BATCHES) entry.batches.shift();
    }
    entry.lastTimestamp = h.maxTimestamp;
    entry.lastDataOffset = lastOffset;
    if (h.isTransactional && entry.currentTxnFirstOffset === null) entry.currentTxnFirstOffset = firstOffset;
  }

  private checkSequence(entry: ProducerEntry, known: boolean, h: BatchHeader): void {
    if (!known) return;
    if (h.producerEpoch !== entry.epoch) {
      if (h.baseSequence !== 0 && entry.epoch !== NO_PRODUCER_EPOCH) {
        throw new LogError(
          OUT_OF_ORDER_SEQUENCE_NUMBER,
          `producer ${h.producerId} new epoch ${h.producerEpoch} must start at sequence 0, got ${h.baseSequence} (current epoch ${entry.epoch})`,
        );
      }
      return;
    }
    const last = entry.batches[entry.batches.length - 1];
    const lastSeq = last === undefined ? -1 : last.lastSeq;
    if (!inSequence(lastSeq, h.baseSequence)) {
      throw new LogError(
        OUT_OF_ORDER_SEQUENCE_NUMBER,
        `producer ${h.producerId} epoch ${h.producerEpoch}: sequence ${h.baseSequence} does not follow ${lastSeq}`,
      );
    }
  }

  /** Applies a transaction marker at `offset`; returns the completed transaction. */
  appendMarker(o: { producerId: bigint; producerEpoch: number; coordinatorEpoch: number; commit: boolean; offset: bigint; timestamp: bigint }, validate: boolean): CompletedTxn {
    const { entry, known } = this.entry(o.producerId);
    if (validate && known) {
      if (o.producerEpoch < entry.epoch) {
        throw new LogError(INVALID_PRODUCER_EPOCH, `marker for producer ${o.producerId} has epoch ${o.producerEpoch}, older than the current ${entry.epoch}`);
      }
      if (entry.coordinatorEpoch > o.coordinatorEpoch) {
        throw new LogError(
          TRANSACTION_COORDINATOR_FENCED,
          `marker for producer ${o.producerId} has coordinator epoch ${o.coordinatorEpoch}, older than ${entry.coordinatorEpoch}`,
        );
      }
    }
    const firstOffset = entry.currentTxnFirstOffset ?? o.offset;
    if (o.producerEpoch !== entry.epoch) {
      entry.epoch = o.producerEpoch;
      entry.batches = [];
    }
    entry.currentTxnFirstOffset = null;
    entry.coordinatorEpoch = o.coordinatorEpoch;
    entry.lastTimestamp = o.timestamp;
    return { producerId: o.producerId, firstOffset, lastOffset: o.offset, aborted: !o.commit };
  }

  /** First offset of the earliest open transaction if this update were committed. */
  firstUnstableOffset(): bigint | null {
    let min: bigint | null = null;
    for (const [pid, first] of this.manager.openTransactions()) {
      if (!this.staged.has(pid) && (min === null || first < min)) min = first;
    }
    for (const e of this.staged.values()) {
      if (e.currentTxnFirstOffset !== null && (min === null || e.currentTxnFirstOffset < min)) min = e.currentTxnFirstOffset;
    }
    return min;
  }

  commit(): void {
    this.manager.commitEntries(this.staged);
    this.staged.clear();
  }
}
