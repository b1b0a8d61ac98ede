import { Kafka, logLevel, type Admin, type KafkaConfig, type RetryOptions, type SASLOptions } from 'kafkajs';
import {
  TributaryError,
  errorMessage,
  type PartitionOffset,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
  type TopicPartition,
} from '../../src/sdk/index.ts';
import { resolveKafkaSinkConfig, type KafkaSinkConfig, type SaslConfig } from './config.ts';
import { kafkaError } from './kafka-error.ts';
import { kafkajsLogCreator } from './kafkajs-log.ts';
import { PartitionProducer } from './partition-producer.ts';
import { RecordEncoder, type OutputRecord } from './record-encoder.ts';
import { transactionalId } from './transactional-id.ts';

/** kafkajs's own retries for one request; a failure after them reaches the runtime's retry loop. */
const CLIENT_RETRY: RetryOptions = { initialRetryTime: 300, maxRetryTime: 30_000, retries: 8 };
const CONNECTION_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Producers initialized at once on an assignment: each is its own set of connections. */
const INIT_CONCURRENCY = 8;

/**
 * Writes records to another topic, exactly once: for each input partition, the records derived
 * from a batch and the batch's consumer position are one Kafka transaction (consume-transform-produce
 * with sendOffsets). A crash before the commit aborts both; after it, both are visible together.
 *
 * Fencing uses one transactional id per input partition (see transactional-id.ts): kafkajs sends
 * TxnOffsetCommit without the group generation (no KIP-447), so only the id can stop a member that
 * lost a partition from committing output and offsets for it. The new owner's `open()` initializes
 * the id, which fences the old producer and settles its open transaction, and only then reads the
 * group's committed offsets, which the runtime seeks to.
 */
export class KafkaSinkTask implements SinkTask {
  private readonly config: KafkaSinkConfig;
  private readonly encoder: RecordEncoder;
  private readonly kafka: Kafka;
  private admin: Admin | undefined;
  /** Transactional producers by input partition key. */
  private readonly producers = new Map<string, PartitionProducer>();
  /** Partition counts of input topics (the default for output topics the sink creates). */
  private readonly inputPartitions = new Map<string, number>();
  /** Partition counts of output topics known to exist. */
  private readonly outputPartitions = new Map<string, number>();
  private stopped = false;

  constructor(private readonly ctx: SinkTaskContext<KafkaSinkConfig>) {
    this.config = resolveKafkaSinkConfig(ctx.config);
    this.encoder = new RecordEncoder(this.config);
    const clientConfig: KafkaConfig = {
      clientId: this.config.clientId === '' ? `tributary-${ctx.pipeline}-${ctx.sinkName}` : this.config.clientId,
      brokers: [...this.config.brokers],
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      retry: CLIENT_RETRY,
      logLevel: logLevel.INFO,
      logCreator: kafkajsLogCreator(ctx.logger.child({ component: 'kafkajs' })),
      ssl: this.config.ssl,
    };
    if (this.config.sasl !== null) clientConfig.sasl = saslOptions(this.config.sasl);
    this.kafka = new Kafka(clientConfig);
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin({ retry: CLIENT_RETRY });
    try {
      await admin.connect();
    } catch (err) {
      throw kafkaError(err, `connecting to ${this.config.brokers.join(',')}`);
    }
    this.admin = admin;
  }

  /**
   * Fences earlier owners of `partitions` (one transactional id each), then returns the group's
   * committed offsets for them: the positions the last committed transactions left.
   */
  async open(partitions: TopicPartition[]): Promise<PartitionOffset[]> {
    const admin = this.requireAdmin();
    const topics = [...new Set(partitions.map((p) => p.topic))];
    await this.checkInputTopics(admin, topics);
    // A producer kept from an earlier assignment is reused unless it was fenced or has a failed
    // attempt unresolved: this assignment makes this member the owner, so a new one initializes the
    // id (settling that attempt's transaction) before the offsets are read.
    for (const tp of partitions) {
      const kept = this.producers.get(partitionKey(tp));
      if (kept !== undefined && !kept.healthy) {
        this.producers.delete(partitionKey(tp));
        await kept.close();
      }
    }
    const pending = partitions.filter((tp) => !this.producers.has(partitionKey(tp)));
    for (let i = 0; i < pending.length; i += INIT_CONCURRENCY) {
      const opened = await Promise.allSettled(pending.slice(i, i + INIT_CONCURRENCY).map((tp) => this.openProducer(tp)));
      const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
    // Invariant: offsets are read only after every id above is initialized, so no transaction of an
    // earlier owner can still commit (or be pending) behind them.
    let fetched: Awaited<ReturnType<Admin['fetchOffsets']>>;
    try {
      fetched = await admin.fetchOffsets({ groupId: this.ctx.group, topics });
    } catch (err) {
      throw kafkaError(err, `fetching the committed offsets of group ${this.ctx.group}`);
    }
    const wanted = new Set(partitions.map(partitionKey));
    const positions: PartitionOffset[] = [];
    for (const { topic, partitions: ps } of fetched) {
      for (const { partition, offset } of ps) {
        if (wanted.has(partitionKey({ topic, partition })) && !offset.startsWith('-')) positions.push({ topic, partition, offset });
      }
    }
    // Each producer learns where its partition resumes: its read-back after a failed attempt
    // compares against it, and batches below it are never produced again.
    for (const tp of partitions) {
      const at = positions.find((p) => p.topic === tp.topic && p.partition === tp.partition);
      this.producers.get(partitionKey(tp))?.resumeAt(at === undefined ? null : BigInt(at.offset));
    }
    this.ctx.logger.info({ partitions: partitions.length, positions: positions.length }, 'transactional producers ready; resuming from committed offsets');
    return positions;
  }

  async put(records: SinkRecord[], position: PartitionOffset[]): Promise<void> {
    if (this.stopped) throw new TributaryError('INTERNAL', 'kafka sink: called after stop()');
    const slices = splitByPosition(records, position);
    // Encode everything first: a record that cannot be written fails the batch before any transaction.
    const encoded: Array<{ position: PartitionOffset; outputs: OutputRecord[] }> = [];
    const rejected: Array<{ topic: string; partition: number; offset: string; reason: string }> = [];
    for (const { position: p, records: slice } of slices) {
      const outputs: OutputRecord[] = [];
      for (const record of slice) {
        try {
          outputs.push(this.encoder.encode(record));
        } catch (err) {
          rejected.push({ topic: record.topic, partition: record.partition, offset: record.offset, reason: errorMessage(err) });
        }
      }
      encoded.push({ position: p, outputs });
    }
    if (rejected.length > 0) {
      throw new TributaryError('SINK_RECORD_REJECTED', `encoding batch: ${rejected.length} record(s) cannot be written to Kafka: ${rejected[0]?.reason ?? ''}`, {
        details: { offsets: rejected },
      });
    }
    for (const { position: p, outputs } of encoded) {
      await this.ensureOutputTopics(outputs, p.topic);
      const producer = this.producers.get(partitionKey(p));
      if (producer === undefined) throw new TributaryError('INTERNAL', `kafka sink: put for ${p.topic}[${p.partition}], which is not open`);
      await producer.commit(outputs, { group: this.ctx.group, topic: p.topic, partition: p.partition, offset: p.offset });
    }
  }

  async close(partitions: TopicPartition[]): Promise<void> {
    await Promise.all(
      partitions.map(async (tp) => {
        const producer = this.producers.get(partitionKey(tp));
        this.producers.delete(partitionKey(tp));
        await producer?.close();
      }),
    );
  }

  /** Disconnects every producer and the admin client; safe twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    const producers = [...this.producers.values()];
    this.producers.clear();
    await Promise.all(producers.map((p) => p.close()));
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch((err: unknown) => this.ctx.logger.warn({ err: errorMessage(err) }, 'disconnecting the admin client failed'));
  }

  private async openProducer(tp: TopicPartition): Promise<void> {
    const id = transactionalId(this.ctx.pipeline, this.ctx.sinkName, tp);
    const producer = await PartitionProducer.open(this.kafka, {
      transactionalId: id,
      transactionTimeoutMs: this.config.transactionTimeoutMs,
      retry: CLIENT_RETRY,
      clock: this.ctx.clock,
      logger: this.ctx.logger,
      readCommitted: () => this.readCommitted(tp),
    });
    if (this.stopped) {
      await producer.close();
      return;
    }
    this.producers.set(partitionKey(tp), producer);
  }

  /** The group's committed offset of one input partition (null: none), read after a failed transaction was settled. */
  private async readCommitted(tp: TopicPartition): Promise<bigint | null> {
    const admin = this.requireAdmin();
    let fetched: Awaited<ReturnType<Admin['fetchOffsets']>>;
    try {
      fetched = await admin.fetchOffsets({ groupId: this.ctx.group, topics: [tp.topic] });
    } catch (err) {
      throw kafkaError(err, `reading back the committed offset of ${tp.topic}[${tp.partition}] (group ${this.ctx.group})`);
    }
    const offset = fetched.find((t) => t.topic === tp.topic)?.partitions.find((p) => p.partition === tp.partition)?.offset;
    return offset === undefined || offset.startsWith('-') ? null : BigInt(offset);
  }

  /**
   * The input topics must exist on the sink's cluster: exactly-once commits the consumed offsets
   * through this cluster, so it must be the one the pipeline reads from.
   */
  private async checkInputTopics(admin: Admin, topics: string[]): Promise<void> {
    const unknown = topics.filter((t) => !this.inputPartitions.has(t));
    if (unknown.length === 0) return;
    let existing: Set<string>;
    let metadata: Awaited<ReturnType<Admin['fetchTopicMetadata']>>;
    try {
      existing = new Set(await admin.listTopics());
      const missing = unknown.filter((t) => !existing.has(t));
      if (missing.length > 0) {
        throw new TributaryError(
          'CONFIG_INVALID',
          `kafka sink: input topic ${missing.join(', ')} is not on ${this.config.brokers.join(',')}; brokers must name the cluster the pipeline reads from (its offsets are committed there, in the same transaction as the output)`,
        );
      }
      metadata = await admin.fetchTopicMetadata({ topics: unknown });
    } catch (err) {
      throw kafkaError(err, 'reading input topic metadata');
    }
    for (const t of metadata.topics) this.inputPartitions.set(t.name, t.partitions.length);
  }

  private async ensureOutputTopics(outputs: OutputRecord[], inputTopic: string): Promise<void> {
    const admin = this.requireAdmin();
    const missing = [...new Set(outputs.map((o) => o.topic))].filter((t) => !this.outputPartitions.has(t));
    if (missing.length > 0) {
      const partitions = this.config.partitions ?? this.inputPartitions.get(inputTopic) ?? 1;
      try {
        const created = await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: this.config.replicationFactor })),
        });
        if (created) this.ctx.logger.info({ topics: missing, partitions }, 'output topics created');
        const metadata = await admin.fetchTopicMetadata({ topics: missing });
        for (const t of metadata.topics) this.outputPartitions.set(t.name, t.partitions.length);
      } catch (err) {
        throw kafkaError(err, `creating output topics ${missing.join(', ')}`);
      }
    }
    if (this.config.partitioning !== 'input') return;
    for (const o of outputs) {
      const count = this.outputPartitions.get(o.topic) ?? 0;
      if (o.partition !== undefined && o.partition >= count) {
        throw new TributaryError('CONFIG_INVALID', `kafka sink: partitioning "input" sends a record of partition ${o.partition} to ${o.topic}, which has ${count} partitions`);
      }
    }
  }

  private requireAdmin(): Admin {
    if (this.stopped) throw new TributaryError('INTERNAL', 'kafka sink: called after stop()');
    if (this.admin === undefined) throw new TributaryError('INTERNAL', 'kafka sink: called before start()');
    return this.admin;
  }
}

/**
 * The batch split by the input partition whose position commits it. The runtime gives one position
 * (one partition) per batch; with several, each record goes with its own partition's position.
 */
function splitByPosition(records: SinkRecord[], position: PartitionOffset[]): Array<{ position: PartitionOffset; records: SinkRecord[] }> {
  if (position.length === 1) return [{ position: position[0] as PartitionOffset, records }];
  const slices = position.map((p) => ({ position: p, records: records.filter((r) => r.topic === p.topic && r.partition === p.partition) }));
  const covered = slices.reduce((n, s) => n + s.records.length, 0);
  if (covered !== records.length) {
    throw new TributaryError('INTERNAL', `kafka sink: ${records.length - covered} record(s) of the batch belong to no partition of its position; each batch's output commits with its input position`);
  }
  return slices;
}

/** kafkajs types each mechanism separately; the config schema allows only these three. */
function saslOptions(sasl: SaslConfig): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}\0${tp.partition}`;
}
