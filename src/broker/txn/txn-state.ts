/**
 * Transaction metadata for one transactionalId, and its persistence format.
 *
 * A state is an immutable value: every transition builds the next one, writes it to the store and only
 * then replaces the current one in memory (so memory never runs ahead of the log). Store entries:
 *
 *   {"t":"txn","transactionalId":"tx","producerId":"1000","lastProducerId":"-1","producerEpoch":3,
 *    "lastProducerEpoch":-1,"timeoutMs":60000,"state":"Ongoing","partitions":[{"topic":"t","partition":0}],
 *    "groups":["g"],"startMs":1700000000000,"updateMs":1700000000000}
 *   {"t":"coordinator-epoch","epoch":4}
 *
 * The last `txn` entry per transactionalId wins on load. bigint ids are decimal strings.
 */
import type { TopicPartition } from '../group/group-coordinator.ts';
import type { TxnStateName } from './transaction-coordinator.ts';

export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
const MAX_EPOCH = 32767;

/** The last usable epoch is kept free so that a fence bump never overflows; then the id rotates. */
export function isEpochExhausted(epoch: number): boolean {
  return epoch >= MAX_EPOCH - 1;
}

export interface TxnState {
  readonly transactionalId: string;
  readonly producerId: bigint;
  /** The id before the last rotation, so a retried InitProducerId after rotation is recognised (KIP-360). */
  readonly lastProducerId: bigint;
  readonly producerEpoch: number;
  /** The epoch before the last client-requested bump, so a retried bump is answered without bumping again. */
  readonly lastProducerEpoch: number;
  readonly timeoutMs: number;
  readonly state: TxnStateName;
  readonly partitions: readonly TopicPartition[];
  readonly groups: readonly string[];
  /** When the current transaction began (first AddPartitions/AddOffsets), -1 outside a transaction. */
  readonly startMs: number;
  readonly updateMs: number;
}

export interface TxnRecord {
  t: 'txn';
  transactionalId: string;
  producerId: string;
  lastProducerId: string;
  producerEpoch: number;
  lastProducerEpoch: number;
  timeoutMs: number;
  state: TxnStateName;
  partitions: TopicPartition[];
  groups: string[];
  startMs: number;
  updateMs: number;
}

export interface CoordinatorEpochRecord {
  t: 'coordinator-epoch';
  epoch: number;
}

export function toRecord(s: TxnState): TxnRecord {
  return {
    t: 'txn',
    transactionalId: s.transactionalId,
    producerId: s.producerId.toString(),
    lastProducerId: s.lastProducerId.toString(),
    producerEpoch: s.producerEpoch,
    lastProducerEpoch: s.lastProducerEpoch,
    timeoutMs: s.timeoutMs,
    state: s.state,
    partitions: s.partitions.map((p) => ({ topic: p.topic, partition: p.partition })),
    groups: [...s.groups],
    startMs: s.startMs,
    updateMs: s.updateMs,
  };
}

const STATES: readonly TxnStateName[] = ['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead'];
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isDecimal = (v: unknown): v is string => typeof v === 'string' && /^-?\d+$/.test(v);

export function decodeTxnEntry(raw: object): TxnState | CoordinatorEpochRecord | null {
  const r = raw as Record<string, unknown>;
  if (r.t === 'coordinator-epoch') return isInt(r.epoch) ? { t: 'coordinator-epoch', epoch: r.epoch } : null;
  if (r.t !== 'txn') return null;
  if (typeof r.transactionalId !== 'string' || !isDecimal(r.producerId) || !isDecimal(r.lastProducerId)) return null;
  if (!isInt(r.producerEpoch) || !isInt(r.lastProducerEpoch) || !isInt(r.timeoutMs) || !isInt(r.startMs) || !isInt(r.updateMs)) return null;
  if (!STATES.includes(r.state as TxnStateName) || !Array.isArray(r.partitions) || !Array.isArray(r.groups)) return null;
  const partitions: TopicPartition[] = [];
  for (const p of r.partitions as unknown[]) {
    const tp = p as Record<string, unknown> | null;
    if (tp === null || typeof tp.topic !== 'string' || !isInt(tp.partition)) return null;
    partitions.push({ topic: tp.topic, partition: tp.partition });
  }
  const groups = (r.groups as unknown[]).filter((g): g is string => typeof g === 'string');
  return {
    transactionalId: r.transactionalId,
    producerId: BigInt(r.producerId),
    lastProducerId: BigInt(r.lastProducerId),
    producerEpoch: r.producerEpoch,
    lastProducerEpoch: r.lastProducerEpoch,
    timeoutMs: r.timeoutMs,
    state: r.state as TxnStateName,
    partitions,
    groups,
    startMs: r.startMs,
    updateMs: r.updateMs,
  };
}

/** Adds partitions keeping each once; order of first addition is kept. */
export function unionPartitions(current: readonly TopicPartition[], added: readonly TopicPartition[]): TopicPartition[] {
  const seen = new Set(current.map((p) => `${p.partition}:${p.topic}`));
  const out = [...current];
  for (const p of added) {
    const key = `${p.partition}:${p.topic}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ topic: p.topic, partition: p.partition });
    }
  }
  return out;
}
