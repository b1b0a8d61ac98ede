/**
 * Committed and transaction-staged offsets of every group, in memory.
 *
 * Invariants:
 * - Staged offsets (from TxnOffsetCommit) are invisible to fetches until their transaction commits.
 * - Every committed or staged value carries `seq`, its position in the store's append order. When a
 *   transaction commits, a staged value replaces the committed one only if it was appended later, as in
 *   Kafka, where the later offset-log record wins. Replaying the store reassigns seq in the same order.
 */
import type { OffsetRecord } from './group-records.ts';

export interface OffsetValue {
  offset: bigint;
  metadata: string | null;
  leaderEpoch: number;
  commitTimestampMs: number;
  seq: number;
}

export interface PartitionOffset {
  topic: string;
  partition: number;
  value: OffsetValue;
}

interface StagedTxn {
  producerEpoch: number;
  transactionalId: string;
  offsets: Map<string, PartitionOffset>;
}

const tpKey = (topic: string, partition: number): string => `${partition}:${topic}`;

export class OffsetBook {
  private readonly committed = new Map<string, Map<string, PartitionOffset>>();
  private readonly staged = new Map<string, Map<bigint, StagedTxn>>();
  private seq = 0;

  commit(groupId: string, records: OffsetRecord[]): void {
    let group = this.committed.get(groupId);
    if (group === undefined) {
      group = new Map();
      this.committed.set(groupId, group);
    }
    for (const r of records) group.set(tpKey(r.topic, r.partition), this.toPartitionOffset(r));
  }

  stage(groupId: string, producerId: bigint, producerEpoch: number, transactionalId: string, records: OffsetRecord[]): void {
    let byProducer = this.staged.get(groupId);
    if (byProducer === undefined) {
      byProducer = new Map();
      this.staged.set(groupId, byProducer);
    }
    let txn = byProducer.get(producerId);
    if (txn === undefined) {
      txn = { producerEpoch, transactionalId, offsets: new Map() };
      byProducer.set(producerId, txn);
    }
    txn.producerEpoch = producerEpoch;
    for (const r of records) txn.offsets.set(tpKey(r.topic, r.partition), this.toPartitionOffset(r));
  }

  hasStaged(groupId: string, producerId: bigint): boolean {
    return this.staged.get(groupId)?.has(producerId) ?? false;
  }

  /** Commit moves the producer's staged offsets into the committed view; abort drops them. */
  completeTxn(groupId: string, producerId: bigint, commit: boolean): void {
    const byProducer = this.staged.get(groupId);
    const txn = byProducer?.get(producerId);
    if (byProducer === undefined || txn === undefined) return;
    byProducer.delete(producerId);
    if (byProducer.size === 0) this.staged.delete(groupId);
    if (!commit) return;
    let group = this.committed.get(groupId);
    if (group === undefined) {
      group = new Map();
      this.committed.set(groupId, group);
    }
    for (const [key, staged] of txn.offsets) {
      const current = group.get(key);
      if (current === undefined || current.value.seq < staged.value.seq) group.set(key, staged);
    }
  }

  get(groupId: string, topic: string, partition: number): OffsetValue | undefined {
    return this.committed.get(groupId)?.get(tpKey(topic, partition))?.value;
  }

  all(groupId: string): PartitionOffset[] {
    return [...(this.committed.get(groupId)?.values() ?? [])];
  }

  hasStagedFor(groupId: string, topic: string, partition: number): boolean {
    const byProducer = this.staged.get(groupId);
    if (byProducer === undefined) return false;
    const key = tpKey(topic, partition);
    for (const txn of byProducer.values()) if (txn.offsets.has(key)) return true;
    return false;
  }

  hasAnyStaged(groupId: string): boolean {
    return this.staged.has(groupId);
  }

  deleteGroup(groupId: string): number {
    const removed = this.committed.get(groupId)?.size ?? 0;
    this.committed.delete(groupId);
    this.staged.delete(groupId);
    return removed;
  }

  groupIds(): string[] {
    return [...new Set([...this.committed.keys(), ...this.staged.keys()])];
  }

  /** Store entries that rebuild this book, in seq order so replay reproduces the same precedence. */
  snapshot(): object[] {
    const items: Array<{ seq: number; entry: object }> = [];
    for (const [groupId, group] of this.committed) {
      for (const po of group.values()) {
        items.push({ seq: po.value.seq, entry: { t: 'offsets', groupId, offsets: [toRecord(po)] } });
      }
    }
    for (const [groupId, byProducer] of this.staged) {
      for (const [producerId, txn] of byProducer) {
        for (const po of txn.offsets.values()) {
          items.push({
            seq: po.value.seq,
            entry: {
              t: 'txn-offsets',
              groupId,
              producerId: producerId.toString(),
              producerEpoch: txn.producerEpoch,
              transactionalId: txn.transactionalId,
              offsets: [toRecord(po)],
            },
          });
        }
      }
    }
    return items.sort((a, b) => a.seq - b.seq).map((i) => i.entry);
  }

  private toPartitionOffset(r: OffsetRecord): PartitionOffset {
    this.seq += 1;
    return {
      topic: r.topic,
      partition: r.partition,
      value: { offset: BigInt(r.offset), metadata: r.metadata, leaderEpoch: r.leaderEpoch, commitTimestampMs: r.commitTimestampMs, seq: this.seq },
    };
  }
}

function toRecord(po: PartitionOffset): OffsetRecord {
  return {
    topic: po.topic,
    partition: po.partition,
    offset: po.value.offset.toString(),
    metadata: po.value.metadata,
    leaderEpoch: po.value.leaderEpoch,
    commitTimestampMs: po.value.commitTimestampMs,
  };
}
