import type { PluginContext } from './context.ts';
import type { SourceRecord } from './record.ts';
import type { PluginSpec } from './spec.ts';

export interface SourceTaskContext<Config = Record<string, unknown>> extends PluginContext<Config> {
  /** 0-based index of this task within the source (one task per source today). */
  taskId: number;
  /**
   * The last committed `sourceOffset` for a `sourcePartition`, or undefined when the stream has never
   * been committed. Offsets are loaded before `start()`, so this is a lookup, not a round trip.
   */
  committedOffset(sourcePartition: Record<string, unknown>): Record<string, unknown> | undefined;
}

/**
 * A source task reads an external system and returns records in batches.
 *
 * Call order: `start()` once, then `poll()` repeatedly (never concurrently with itself), then `stop()`.
 * `stop()` may be called while a `poll()` is pending: the poll's `signal` is aborted first, and the
 * task should resolve the pending poll promptly (with what it has, or `[]`). `stop()` is safe twice.
 *
 * Batching and offsets: every record carries `sourcePartition` + `sourceOffset` (the position just
 * after that record). The runtime never splits one poll batch across Kafka transactions, so a task
 * that returns a whole source transaction per poll gets it committed atomically. After the records of
 * a batch are durably in Kafka the runtime persists the last offset per source partition, then calls
 * `commit()` with those offsets: only from then on may the task release resources tied to them (for
 * example, acknowledging to an upstream queue). On restart, `committedOffset()` returns them.
 *
 * Errors: throw a `TributaryError` (retriable or not) from `poll()` for failures of the source system;
 * the runtime retries retriable ones with backoff within `errors.retry.timeout`. A single record that
 * cannot be decoded should not throw: return it with a `value` of null and the problem in the
 * `tributary.error` header, so it reaches the dead-letter topic under `errors.tolerance: all`.
 */
export interface SourceTask {
  start(): Promise<void>;
  /** Resolves with a batch (possibly empty when idle), or `null` when a finite source is exhausted. */
  poll(signal: AbortSignal): Promise<SourceRecord[] | null>;
  /** Optional: the offsets in `offsets` (one per source partition) are now durable. */
  commit?(offsets: Array<{ sourcePartition: Record<string, unknown>; sourceOffset: Record<string, unknown> }>): Promise<void>;
  stop(): Promise<void>;
}

export interface SourcePlugin<Config = Record<string, unknown>> {
  spec: PluginSpec & { kind: 'source' };
  createTask(ctx: SourceTaskContext<Config>): SourceTask;
}
