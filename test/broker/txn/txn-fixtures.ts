/** Shared set-up for transaction coordinator tests: both coordinators on manual time and in-memory stores. */
import { silentLogger } from '../../../src/sdk/logger.ts';
import type { CoordinatorStore } from '../../../src/broker/group/coordinator-store.ts';
import { GroupCoordinator, type TopicPartition } from '../../../src/broker/group/group-coordinator.ts';
import { MemoryCoordinatorStore } from '../../../src/broker/group/memory-coordinator-store.ts';
import { BlockProducerIdAllocator } from '../../../src/broker/txn/producer-id-allocator.ts';
import { TransactionCoordinator, type TransactionCoordinatorOptions, type TxnMarkerWriter } from '../../../src/broker/txn/transaction-coordinator.ts';
import { ManualTime } from '../group/manual-time.ts';

export interface WrittenMarkers {
  partitions: TopicPartition[];
  producerId: bigint;
  producerEpoch: number;
  commit: boolean;
  coordinatorEpoch: number;
}

/** Records every marker request; `failNext` makes the next N calls fail as a broken disk would. */
export class RecordingMarkerWriter implements TxnMarkerWriter {
  readonly written: WrittenMarkers[] = [];
  failNext = 0;

  writeMarkers(partitions: TopicPartition[], o: { producerId: bigint; producerEpoch: number; commit: boolean; coordinatorEpoch: number }): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return Promise.reject(new Error('writing marker: disk unavailable'));
    }
    this.written.push({ partitions: partitions.map((p) => ({ ...p })), ...o });
    return Promise.resolve();
  }
}

export interface Stores {
  groups: CoordinatorStore;
  txns: CoordinatorStore;
  producerIds: CoordinatorStore;
}

export const newStores = (): Stores => ({ groups: new MemoryCoordinatorStore(), txns: new MemoryCoordinatorStore(), producerIds: new MemoryCoordinatorStore() });

export const defaultTxnOptions: TransactionCoordinatorOptions = { maxTransactionTimeoutMs: 900_000, abortCheckIntervalMs: 1_000 };

export interface TxnHarness {
  time: ManualTime;
  stores: Stores;
  markers: RecordingMarkerWriter;
  groups: GroupCoordinator;
  txn: TransactionCoordinator;
  close(): Promise<void>;
}

export async function txnHarness(
  opts: Partial<TransactionCoordinatorOptions> = {},
  stores: Stores = newStores(),
  time = new ManualTime(),
  markers = new RecordingMarkerWriter(),
): Promise<TxnHarness> {
  const base = { clock: time, logger: silentLogger, timers: time };
  const groups = await GroupCoordinator.load({ ...base, store: stores.groups }, { minSessionTimeoutMs: 6_000, maxSessionTimeoutMs: 300_000, initialRebalanceDelayMs: 0 });
  const producerIds = await BlockProducerIdAllocator.load(stores.producerIds, { blockSize: 10 });
  const txn = await TransactionCoordinator.load({ ...base, store: stores.txns, markers, groups, producerIds }, { ...defaultTxnOptions, ...opts });
  return {
    time,
    stores,
    markers,
    groups,
    txn,
    async close() {
      await txn.close();
      await groups.close();
    },
  };
}

/** InitProducerId for a transactional id, with no KIP-360 expectations. */
export async function init(h: TxnHarness, transactionalId: string, transactionTimeoutMs = 60_000): Promise<{ producerId: bigint; producerEpoch: number }> {
  const res = await h.txn.initProducerId({ transactionalId, transactionTimeoutMs, producerId: -1n, producerEpoch: -1 });
  if (res.errorCode !== 0) throw new Error(`initProducerId failed with ${res.errorCode}`);
  return { producerId: res.producerId, producerEpoch: res.producerEpoch };
}

/** Starts a transaction writing to t-0 and t-1 and staging offset `offset` for group g, topic in-0. */
export async function ongoingTxn(h: TxnHarness, transactionalId: string, p: { producerId: bigint; producerEpoch: number }, offset = 5n): Promise<void> {
  const ids = { transactionalId, ...p };
  const added = await h.txn.addPartitionsToTxn({ ...ids, partitions: [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }] });
  if (added.some((a) => a.errorCode !== 0)) throw new Error('addPartitionsToTxn failed');
  if ((await h.txn.addOffsetsToTxn({ ...ids, groupId: 'g' })).errorCode !== 0) throw new Error('addOffsetsToTxn failed');
  const staged = await h.txn.txnOffsetCommit({ ...ids, groupId: 'g', offsets: [{ topic: 'in', partition: 0, offset, metadata: null }] });
  if (staged.some((s) => s.errorCode !== 0)) throw new Error('txnOffsetCommit failed');
}

export function committedOffset(h: TxnHarness, requireStable = false): { offset: bigint; errorCode: number } {
  const o = h.groups.fetchOffsets({ groupId: 'g', partitions: [{ topic: 'in', partition: 0 }], requireStable }).offsets[0];
  if (o === undefined) throw new Error('no offset row');
  return { offset: o.offset, errorCode: o.errorCode };
}
