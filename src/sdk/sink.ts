import type { PluginContext } from './context.ts';
import type { SinkRecord, TopicPartition } from './record.ts';
import type { PluginSpec } from './spec.ts';

export interface SinkTaskContext<Config = Record<string, unknown>> extends PluginContext<Config> {
  /** The sink's `name` in the pipeline YAML. */
  sinkName: string;
  /** Consumer group the workers of this sink share. */
  group: string;
  /** 0-based index of this worker within this process. */
  workerId: number;
}

/** The consumer position after a batch: the next offset to read for each partition the batch touched. */
export interface PartitionOffset extends TopicPartition {
  /** Next offset to consume, as a decimal string. */
  offset: string;
}

/**
 * A sink task writes records onward. One instance per worker; a worker is one consumer-group member.
 *
 * Call order: `start()`, then for each assignment `open(partitions)`, any number of `put()` calls for
 * those partitions (never concurrently), `close(partitions)` when they are revoked, and finally `stop()`.
 * `stop()` is safe twice.
 *
 * Delivery: when `put(records, position)` resolves, the records must be durable in the target. Only
 * then does the runtime commit `position` to Kafka. A sink whose spec says `delivery: transactional`
 * must store `position` in the same atomic unit as the records (for example, one database
 * transaction), and `open()` must return the positions it has stored, which the runtime then seeks to
 * (Kafka's committed offsets are kept for lag monitoring only). Sinks that cannot do this are
 * at-least-once: after a crash, records since the last Kafka commit are delivered again.
 *
 * Errors: throw a `TributaryError` with `retriable: true` for transient failures (the runtime retries
 * the same batch with backoff). To reject individual records (constraint violations), throw a
 * `TributaryError('SINK_RECORD_REJECTED', ..., { details: { offsets } })`; the runtime then retries the
 * batch record by record and routes the ones that still fail to the dead-letter topic.
 */
export interface SinkTask {
  start(): Promise<void>;
  open?(partitions: TopicPartition[]): Promise<PartitionOffset[] | void>;
  put(records: SinkRecord[], position: PartitionOffset[]): Promise<void>;
  close?(partitions: TopicPartition[]): Promise<void>;
  stop(): Promise<void>;
}

export interface SinkPlugin<Config = Record<string, unknown>> {
  spec: PluginSpec & { kind: 'sink' };
  createTask(ctx: SinkTaskContext<Config>): SinkTask;
}
