import type { BatchContext, Consumer, ConsumerBatch, KafkaClient } from '../kafka/client.ts';
import type { Clock } from '../sdk/clock.ts';
import { TributaryError, errorMessage, isRetriable } from '../sdk/errors.ts';
import type { Logger } from '../sdk/logger.ts';
import type { SinkRecord, TopicPartition } from '../sdk/record.ts';
import type { PartitionOffset, SinkTask } from '../sdk/sink.ts';
import type { DeadLetterReporter } from './dead-letter.ts';
import type { RecordCodec } from './record-codec.ts';
import { withRetry, type RetryPolicy } from './retry.ts';

export interface SinkRecordTransformer {
  apply<R extends SinkRecord>(record: R): R | null | Promise<R | null>;
}

export interface SinkWorkerOptions {
  pipeline: string;
  sinkName: string;
  workerId: number;
  group: string;
  topics: string[];
  task: SinkTask;
  /** The sink stores positions with its data and returns them from `open()`. */
  transactional: boolean;
  transforms: SinkRecordTransformer;
  codec: RecordCodec;
  client: KafkaClient;
  deadLetters: DeadLetterReporter;
  batchSize: number;
  /** Consumer-group session timeout; heartbeats go at a tenth of it. */
  sessionTimeoutMs?: number;
  retry: RetryPolicy;
  logger: Logger;
  clock: Clock;
  /** Called when the worker stops on an error it cannot handle (the pipeline then stops). */
  onFatal(error: Error): void;
}

export interface SinkProgress {
  consumed: number;
  written: number;
  deadLettered: number;
  dropped: number;
}

/**
 * One consumer-group member feeding one SinkTask: fetch (read_committed) -> deserialize -> transforms
 * -> `put()` -> commit. Invariant: offsets are committed only after the sink's `put()` for those
 * records has resolved, so a crash redelivers (at-least-once) and never skips. Transactional sinks
 * also store the position inside `put()` and are re-positioned from `open()` on every assignment.
 */
export class SinkWorker {
  readonly progress: SinkProgress = { consumed: 0, written: 0, deadLettered: 0, dropped: 0 };
  private consumer: Consumer | undefined;
  private stopped = false;

  constructor(private readonly o: SinkWorkerOptions) {}

  async start(): Promise<void> {
    const { o } = this;
    await o.task.start();
    const session = o.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: o.sessionTimeoutMs, heartbeatIntervalMs: Math.max(100, Math.floor(o.sessionTimeoutMs / 10)) };
    this.consumer = o.client.consumer({ groupId: o.group, readCommitted: true, fromBeginning: true, ...session });
    const consumer = this.consumer;
    // A broker that is (re)starting is waited for within errors.retry.timeout; once running, the
    // client rides out outages by itself (it restarts on retriable failures).
    await withRetry(
      'connecting the sink consumer',
      async () => {
        await consumer.connect();
        await consumer.subscribe(o.topics);
      },
      { policy: o.retry, clock: o.clock, logger: o.logger },
    );
    await this.consumer.run({
      eachBatch: (batch, ctx) => this.handleBatch(batch, ctx),
      onPartitionsAssigned: async (partitions) => {
        o.logger.info({ partitions: describe(partitions) }, 'partitions assigned');
        const stored = await o.task.open?.(partitions);
        return o.transactional && stored ? stored : undefined;
      },
      onPartitionsRevoked: async (partitions) => {
        o.logger.info({ partitions: describe(partitions) }, 'partitions revoked');
        await o.task.close?.(partitions);
      },
      onCrash: (err) => {
        if (this.stopped) return;
        // Only the client's own retriable failures are retried by the client (it rejoins by itself).
        // An error from our batch handling has already spent errors.retry; the consumer has
        // stopped, so anything else must stop the pipeline rather than stall it silently.
        if (err instanceof TributaryError && err.retriable && err.code.startsWith('KAFKA_')) {
          o.logger.warn({ err: errorMessage(err) }, 'consumer restarting after a retriable error');
          return;
        }
        o.onFatal(err);
      },
    });
  }

  /** Leaves the group (revoking partitions, which closes them in the task), then stops the task. Safe twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.consumer?.disconnect();
    await this.o.task.stop();
    await this.o.deadLetters.close();
  }

  private async handleBatch(batch: ConsumerBatch, ctx: BatchContext): Promise<void> {
    const { o } = this;
    const messages = batch.messages;
    for (let start = 0; start < messages.length; start += o.batchSize) {
      if (!ctx.isRunning()) return;
      const chunk = messages.slice(start, start + o.batchSize);
      const last = start + o.batchSize >= messages.length;
      const lastMessage = chunk[chunk.length - 1];
      const next = last || lastMessage === undefined ? batch.nextOffset : (BigInt(lastMessage.offset) + 1n).toString();
      const position: PartitionOffset[] = [{ topic: batch.topic, partition: batch.partition, offset: next }];
      const records: SinkRecord[] = [];
      for (const m of chunk) {
        this.progress.consumed++;
        let record: SinkRecord;
        try {
          // Retriable failures (a registry outage) are retried; past the budget they stop the
          // worker instead of dead-lettering records that are fine.
          record = await withRetry('deserializing a record', () => o.codec.decode(batch.topic, batch.partition, m), { policy: o.retry, clock: o.clock, logger: o.logger });
        } catch (err) {
          if (isRetriable(err)) throw err;
          await this.deadLetter('sink.deserialize', err, { key: m.key, value: m.value, headers: m.headers }, batch, m.offset);
          continue;
        }
        let out: SinkRecord | null;
        try {
          out = await o.transforms.apply(record);
        } catch (err) {
          await this.deadLetter('sink.transform', err, { key: m.key, value: m.value, headers: m.headers }, batch, m.offset);
          continue;
        }
        if (out === null) this.progress.dropped++;
        else records.push(out);
      }
      await this.put(records, position, batch, chunk);
      await ctx.heartbeat().catch(() => undefined);
      await this.consumer?.commitOffsets(position).catch((err: unknown) => {
        // The position is already durable for transactional sinks; for others a failed commit means
        // redelivery after the rebalance, which at-least-once allows.
        o.logger.warn({ err: errorMessage(err), position }, 'committing offsets failed (partition likely reassigned)');
      });
    }
  }

  private async put(records: SinkRecord[], position: PartitionOffset[], batch: ConsumerBatch, raw: ConsumerBatch['messages']): Promise<void> {
    const { o } = this;
    try {
      await withRetry(`writing to sink ${o.sinkName}`, () => o.task.put(records, position), { policy: o.retry, clock: o.clock, logger: o.logger });
      this.progress.written += records.length;
      return;
    } catch (err) {
      if (!(err instanceof TributaryError) || err.code !== 'SINK_RECORD_REJECTED') throw err;
    }
    // Some record was refused: retry one by one so only the bad ones become dead letters. The
    // position goes with the last put so a transactional sink still advances past rejected records.
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as SinkRecord;
      const isLast = i === records.length - 1;
      const recordPosition = isLast ? position : [{ topic: record.topic, partition: record.partition, offset: (BigInt(record.offset) + 1n).toString() }];
      try {
        await withRetry(`writing to sink ${o.sinkName}`, () => o.task.put([record], recordPosition), { policy: o.retry, clock: o.clock, logger: o.logger });
        this.progress.written++;
      } catch (err) {
        if (!(err instanceof TributaryError) || err.code !== 'SINK_RECORD_REJECTED') throw err;
        const m = raw.find((x) => x.offset === record.offset);
        await this.deadLetter('sink.put', err, { key: m?.key ?? null, value: m?.value ?? null, headers: record.headers }, batch, record.offset);
        if (isLast && o.transactional) await o.task.put([], position);
      }
    }
  }

  private async deadLetter(
    stage: 'sink.deserialize' | 'sink.transform' | 'sink.put',
    err: unknown,
    bytes: { key: Buffer | null; value: Buffer | null; headers: SinkRecord['headers'] },
    batch: ConsumerBatch,
    offset: string,
  ): Promise<void> {
    this.progress.deadLettered++;
    await this.o.deadLetters.report({ stage, error: err, ...bytes, origin: { topic: batch.topic, partition: batch.partition, offset } });
  }
}

function describe(partitions: TopicPartition[]): string {
  return partitions.map((p) => `${p.topic}[${p.partition}]`).join(', ');
}
