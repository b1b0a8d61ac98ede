import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, KafkaClient, Producer } from '../../kafka/client.ts';
import type { Clock } from '../../sdk/clock.ts';
import { TributaryError, errorMessage } from '../../sdk/errors.ts';
import type { Logger } from '../../sdk/logger.ts';
import type { SchemaLog } from './schema-log.ts';
import type { SchemaLogRecord } from './schema-state.ts';

/** The compacted topic holding the embedded registry's state (Confluent's is `_schemas`). */
export const SCHEMAS_TOPIC = '_tributary-schemas';

/** How long `catchUp` and `append` wait to read the log up to their target before failing. */
export const DEFAULT_SCHEMA_LOG_TIMEOUT_MS = 30_000;

export interface KafkaSchemaLogOptions {
  client: KafkaClient;
  logger: Logger;
  clock: Clock;
  topic?: string;
  timeoutMs?: number;
}

interface Waiter {
  offset: bigint;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * The registry's log in a one-partition compacted Kafka topic, like Confluent's KafkaStore: one
 * consumer follows the topic from its start for as long as the registry runs, and a write is
 * produced, then waited for until that consumer has applied it, so every instance (in this process
 * or another) applies the same records in the same order.
 *
 * `position` is the next offset to apply; waiting for a target offset means waiting until
 * `position` reaches it. The partition's end offset is never past its last record (compaction keeps
 * the active segment), so a non-empty partition always delivers a batch that reaches its end.
 */
export class KafkaSchemaLog implements SchemaLog {
  private readonly topic: string;
  private readonly timeoutMs: number;
  private admin: Admin | undefined;
  private producer: Producer | undefined;
  private consumer: Consumer | undefined;
  private position = 0n;
  private waiters: Waiter[] = [];
  private failure: Error | undefined;

  constructor(private readonly o: KafkaSchemaLogOptions) {
    this.topic = o.topic ?? SCHEMAS_TOPIC;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_SCHEMA_LOG_TIMEOUT_MS;
  }

  async start(apply: (record: SchemaLogRecord) => void): Promise<void> {
    const { client, logger } = this.o;
    this.admin = client.admin();
    await this.admin.connect();
    await this.admin.ensureTopics([{ topic: this.topic, partitions: 1, configs: { 'cleanup.policy': 'compact' } }]);
    this.producer = client.producer({ idempotent: true });
    await this.producer.connect();
    // A group of its own that never commits: the interface has no manual assignment, and every
    // instance must read the whole topic.
    const consumer = client.consumer({ groupId: `tributary-schemas-reader-${randomUUID()}`, readCommitted: true, fromBeginning: true, maxWaitTimeMs: 100 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe([this.topic]);
    await consumer.run({
      eachBatch: async (batch) => {
        for (const m of batch.messages) apply({ key: m.key?.toString('utf8') ?? '', value: m.value === null ? null : m.value.toString('utf8') });
        this.advance(BigInt(batch.nextOffset));
      },
      onCrash: (err) => {
        this.failure = new TributaryError('KAFKA_REQUEST_FAILED', `reading the schema log ${this.topic}: ${errorMessage(err)}`, { cause: err });
        logger.error({ err: errorMessage(err), topic: this.topic }, 'schema log reader stopped');
        for (const w of this.waiters.splice(0)) w.reject(this.failure);
      },
    });
    await this.catchUp();
    logger.debug({ topic: this.topic, position: this.position.toString() }, 'schema log loaded');
  }

  async catchUp(): Promise<void> {
    const admin = this.require(this.admin);
    const partition = (await admin.fetchTopicOffsets(this.topic)).find((p) => p.partition === 0);
    if (partition === undefined) throw new TributaryError('KAFKA_REQUEST_FAILED', `reading the schema log: topic ${this.topic} has no partition 0`);
    if (BigInt(partition.high) <= BigInt(partition.low)) return;
    await this.waitFor(BigInt(partition.high), 'catching up with');
  }

  async append(records: SchemaLogRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = this.require(this.producer);
    const results = await producer.send(
      records.map((r) => ({ topic: this.topic, partition: 0, key: Buffer.from(r.key, 'utf8'), value: r.value === null ? null : Buffer.from(r.value, 'utf8') })),
    );
    const base = results.find((r) => r.partition === 0)?.baseOffset;
    if (base === undefined) throw new TributaryError('KAFKA_REQUEST_FAILED', `writing the schema log ${this.topic}: no offset in the produce response`);
    await this.waitFor(BigInt(base) + BigInt(records.length), 'reading back a write to');
  }

  async stop(): Promise<void> {
    const stopped = new TributaryError('KAFKA_UNAVAILABLE', `the schema log ${this.topic} was stopped`);
    for (const w of this.waiters.splice(0)) w.reject(stopped);
    const consumer = this.consumer;
    const producer = this.producer;
    const admin = this.admin;
    this.consumer = undefined;
    this.producer = undefined;
    this.admin = undefined;
    await Promise.allSettled([consumer?.disconnect(), producer?.disconnect(), admin?.disconnect()]);
  }

  private advance(next: bigint): void {
    if (next <= this.position) return;
    this.position = next;
    const ready = this.waiters.filter((w) => w.offset <= next);
    this.waiters = this.waiters.filter((w) => w.offset > next);
    for (const w of ready) w.resolve();
  }

  private waitFor(offset: bigint, what: string): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.position >= offset) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = new AbortController();
      const waiter: Waiter = {
        offset,
        resolve: () => {
          timer.abort();
          resolve();
        },
        reject: (err) => {
          timer.abort();
          reject(err);
        },
      };
      this.waiters.push(waiter);
      this.o.clock.sleep(this.timeoutMs, timer.signal).then(
        () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new TributaryError('KAFKA_UNAVAILABLE', `${what} the schema log ${this.topic}: offset ${offset} not read within ${this.timeoutMs} ms (at ${this.position})`));
        },
        () => undefined,
      );
    });
  }

  private require<T>(value: T | undefined): T {
    if (value === undefined) throw new TributaryError('INTERNAL', `the schema log ${this.topic} is used before start() or after stop()`);
    return value;
  }
}
