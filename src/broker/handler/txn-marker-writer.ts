/**
 * Writes transaction markers for the transaction coordinator: one COMMIT or ABORT control batch per
 * partition the transaction touched, through the partition log, then wakes fetchers on it (the marker
 * moves the last stable offset, which read_committed consumers wait on).
 */
import type { LogManager } from '../log/log-manager.ts';
import type { TopicPartition } from '../group/group-coordinator.ts';
import type { TxnMarkerWriter } from '../txn/transaction-coordinator.ts';
import type { AppendNotifier } from './append-notifier.ts';

export class LogTxnMarkerWriter implements TxnMarkerWriter {
  constructor(
    private readonly logs: LogManager,
    private readonly appends: AppendNotifier,
  ) {}

  async writeMarkers(partitions: TopicPartition[], o: { producerId: bigint; producerEpoch: number; commit: boolean; coordinatorEpoch: number }): Promise<void> {
    await Promise.all(
      partitions.map(async ({ topic, partition }) => {
        // A partition deleted mid-transaction has nothing left to mark.
        const log = this.logs.partition(topic, partition);
        if (!log) return;
        await log.writeControlMarker(o);
        this.appends.notify(topic, partition);
      }),
    );
  }
}
