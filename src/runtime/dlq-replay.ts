import type { ConsumedMessage, ConsumerBatch, KafkaClient, ProduceRecord, Producer } from '../kafka/client.ts';
import type { PipelineSpec, SerdeSpec } from '../pipeline/types.ts';
import type { Clock } from '../sdk/clock.ts';
import { TributaryError, errorMessage } from '../sdk/errors.ts';
import { parseJson } from '../sdk/json-text.ts';
import type { Logger } from '../sdk/logger.ts';
import type { SourceRecord } from '../sdk/record.ts';
import type { PluginRegistry } from '../sdk/registry.ts';
import type { Deserializer, Serializer } from '../sdk/serde.ts';
import { deadLetterHeaders, readDeadLetter, stripDeadLetterHeaders, type DeadLetterInfo, type FailureStage } from './dead-letter.ts';
import { RecordCodec } from './record-codec.ts';
import { withRetry } from './retry.ts';
import { TopicEnsurer } from './topic-ensurer.ts';
import { compileTopicTemplate, type TopicResolver } from './topic-template.ts';
import { createTransformChain, type TransformChain } from './transform-chain.ts';

export interface DlqReplayOptions {
  spec: PipelineSpec;
  registry: PluginRegistry;
  client: KafkaClient;
  logger: Logger;
  clock: Clock;
  /** Replay from the start of the dead-letter topic instead of after the last replay. */
  fromBeginning: boolean;
  /** Read and decide, but produce and commit nothing. */
  dryRun: boolean;
  /** Replay at most this many dead letters. */
  limit?: number;
  /** Told about every dead letter as it is handled (for printing). */
  onReplay?(event: ReplayEvent): void;
  signal?: AbortSignal;
}

/** What happened (or, in a dry run, would happen) to one dead letter. */
export interface ReplayEvent {
  /** Where the dead letter sits in the dead-letter topic. */
  partition: number;
  offset: string;
  stage: FailureStage | undefined;
  errorCode: string | undefined;
  /**
   * `original-topic`: a sink-side failure, back to the topic it was read from.
   * `source-chain`: a source-side failure, through the source transforms and serializer into the pipeline topic.
   * `dropped`: a source transform dropped it. `failed-again`: it failed again and is dead-lettered anew.
   * `skipped`: not a Tributary dead letter (no known stage header).
   */
  action: 'original-topic' | 'source-chain' | 'dropped' | 'failed-again' | 'skipped';
  /** Destination, for the first two actions. */
  topic?: string;
  partitionOut?: number;
  /** Why it failed again. */
  error?: string;
}

export interface ReplaySummary {
  deadLetterTopic: string;
  group: string;
  dryRun: boolean;
  /**
   * Offsets between the start positions and the end offsets when the replay began: the dead letters
   * waiting, or more when transaction markers (of earlier replays) sit among them.
   */
  available: number;
  read: number;
  toOriginalTopics: number;
  throughSource: number;
  dropped: number;
  failedAgain: number;
  skipped: number;
  /** Records produced per destination topic. */
  byTopic: Record<string, number>;
}

/** The replay's consumer group and transactional id: `tributary-<pipeline>-dlq-replay`. */
export function replayGroup(pipeline: string): string {
  return `tributary-${pipeline}-dlq-replay`;
}

/** Dead letters handed to one transaction at most, so a long backlog commits progress as it goes. */
const CHUNK = 500;
/**
 * With nothing delivered for this long, the rest of the plan is taken to be transaction markers
 * (which are never delivered), and the replay ends. Without it, a plan whose last offsets are
 * markers the consumer has not reported past would wait forever.
 */
const IDLE_MS = 5000;
const IDLE_CHECK_MS = 250;

/**
 * `tributary dlq replay`: re-injects a pipeline's dead letters after the cause is fixed.
 *
 * - Sink-side failures (the dead letter names its original topic) go back to that topic and
 *   partition with their original key, value and headers (minus `tributary.dlq.*`), so the sinks
 *   read them again.
 * - Source-side failures go through what failed: a `source.transform` failure through the source
 *   transform chain and the serializers, a `source.serialize` failure (already transformed) through
 *   the serializers only, into the pipeline's topic. A record that fails again becomes a new dead
 *   letter (after the end of this replay, so it is not read again now).
 *
 * It reads with its own consumer group up to the end offsets seen at the start, and commits its
 * progress in the same Kafka transaction as what it produced (transactional id = the group name),
 * so a replay that crashes or is interrupted resumes without re-injecting anything twice, and a
 * second replay only sees dead letters that arrived since. Starting a replay fences one still
 * running for the same pipeline.
 */
export class DlqReplayer {
  private producer: Producer | undefined;
  private source: { chain: TransformChain; codec: RecordCodec; topic: TopicResolver } | undefined;
  /** Creates destination topics a source-side replay routes to (as the source worker does). */
  private readonly topics: TopicEnsurer;
  /** Partition counts of original topics, so records keep their partition when it still exists. */
  private readonly partitionCounts = new Map<string, number>();
  private readonly summary: ReplaySummary;

  constructor(private readonly o: DlqReplayOptions) {
    const topic = o.spec.errors.deadLetterTopic;
    if (topic === undefined) {
      throw new TributaryError('CONFIG_INVALID', `pipeline ${o.spec.name} has no errors.deadLetterTopic: there are no dead letters to replay`);
    }
    this.topics = new TopicEnsurer(o.client, o.spec.topic, o.logger);
    this.summary = {
      deadLetterTopic: topic,
      group: replayGroup(o.spec.name),
      dryRun: o.dryRun,
      available: 0,
      read: 0,
      toOriginalTopics: 0,
      throughSource: 0,
      dropped: 0,
      failedAgain: 0,
      skipped: 0,
      byTopic: {},
    };
  }

  /** The counts so far (the summary `run()` resolves with, while it runs). */
  get progress(): Readonly<ReplaySummary> {
    return this.summary;
  }

  async run(): Promise<ReplaySummary> {
    const { client, logger } = this.o;
    const { deadLetterTopic: dlq, group } = this.summary;
    try {
      if (!this.o.dryRun) {
        // Before reading the group's offsets: fencing an earlier replay settles its last transaction.
        this.producer = client.producer({ transactionalId: group });
        await this.producer.connect();
      }
      const plan = await this.plan(dlq, group);
      this.summary.available = [...plan.values()].reduce((n, p) => n + Number(p.end - p.start), 0);
      if (this.summary.available === 0) return this.summary;
      logger.info({ deadLetterTopic: dlq, available: this.summary.available, fromBeginning: this.o.fromBeginning }, 'replaying dead letters');
      await this.consume(dlq, group, plan);
      return this.summary;
    } finally {
      await this.producer?.disconnect().catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'disconnecting the replay producer'));
      await this.source?.chain.close().catch((err: unknown) => logger.warn({ err: errorMessage(err) }, 'closing the source transforms'));
    }
  }

  /** Per partition of the dead-letter topic: where to start and where this replay ends. */
  private async plan(dlq: string, group: string): Promise<Map<number, { start: bigint; end: bigint }>> {
    const admin = this.o.client.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(dlq)) return new Map();
      const offsets = await admin.fetchTopicOffsets(dlq);
      const committed = new Map((await admin.fetchCommittedOffsets(group, [dlq])).map((c) => [c.partition, c.offset]));
      const plan = new Map<number, { start: bigint; end: bigint }>();
      for (const p of offsets) {
        const low = BigInt(p.low);
        const done = committed.get(p.partition);
        let start = this.o.fromBeginning || done === null || done === undefined ? low : BigInt(done);
        if (start < low) start = low;
        plan.set(p.partition, { start, end: BigInt(p.high) });
      }
      return plan;
    } finally {
      await admin.disconnect();
    }
  }

  private async consume(dlq: string, group: string, plan: Map<number, { start: bigint; end: bigint }>): Promise<void> {
    const pending = new Set([...plan].filter(([, p]) => p.start < p.end).map(([partition]) => partition));
    const consumer = this.o.client.consumer({ groupId: group, readCommitted: true, fromBeginning: true });
    let finish!: () => void;
    let fail!: (err: Error) => void;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    // Settled before it is awaited when the replay is interrupted early; `await done` still throws.
    done.catch(() => undefined);
    const onAbort = (): void => fail(new TributaryError('USAGE', 'replay interrupted; what was replayed so far is committed'));
    this.o.signal?.addEventListener('abort', onAbort, { once: true });
    // Idle = assigned, not inside a batch, and nothing delivered for IDLE_MS (on the injected clock).
    const { clock } = this.o;
    const stopWatching = new AbortController();
    let assigned = false;
    let busy = false;
    let lastActivity = clock.now();
    const watchdog = (async (): Promise<void> => {
      while (!stopWatching.signal.aborted) {
        await clock.sleep(IDLE_CHECK_MS, stopWatching.signal).catch(() => undefined);
        if (!stopWatching.signal.aborted && assigned && !busy && clock.now() - lastActivity >= IDLE_MS) {
          this.o.logger.debug({ pending: [...pending] }, 'nothing more before the end offsets; the rest are transaction markers');
          finish();
          return;
        }
      }
    })();
    try {
      await consumer.connect();
      await consumer.subscribe([dlq]);
      await consumer.run({
        // Every partition starts where the plan says; finished ones at their end, so nothing comes.
        onPartitionsAssigned: async (partitions) => {
          assigned = true;
          lastActivity = clock.now();
          return partitions.map(({ topic, partition }) => {
            const p = plan.get(partition);
            const offset = p === undefined ? undefined : pending.has(partition) ? p.start : p.end;
            return { topic, partition, offset: String(offset ?? 0n) };
          });
        },
        eachBatch: async (batch) => {
          busy = true;
          try {
            await this.replayBatch(dlq, group, batch, plan, pending, finish);
          } finally {
            busy = false;
            lastActivity = clock.now();
          }
        },
        onCrash: (err) => fail(err),
      });
      await done;
    } finally {
      stopWatching.abort();
      await watchdog;
      this.o.signal?.removeEventListener('abort', onAbort);
      await consumer.disconnect();
    }
  }

  /** One fetched batch of a dead-letter partition: the part inside the plan (and the limit), in chunks. */
  private async replayBatch(
    dlq: string,
    group: string,
    batch: ConsumerBatch,
    plan: Map<number, { start: bigint; end: bigint }>,
    pending: Set<number>,
    finish: () => void,
  ): Promise<void> {
    const p = plan.get(batch.partition);
    if (p === undefined || !pending.has(batch.partition)) return;
    const inPlan = batch.messages.filter((m) => BigInt(m.offset) < p.end);
    const left = this.o.limit === undefined ? inPlan.length : Math.max(0, this.o.limit - this.summary.read);
    const take = inPlan.slice(0, left);
    const limited = take.length < inPlan.length;
    const atEnd = !limited && BigInt(batch.nextOffset) >= p.end;
    for (let i = 0; i < take.length; i += CHUNK) {
      const chunk = take.slice(i, i + CHUNK);
      const last = chunk[chunk.length - 1] as ConsumedMessage;
      // The last chunk of the plan commits the plan's end (past any markers), others just past themselves.
      const next = atEnd && i + CHUNK >= take.length ? p.end : BigInt(last.offset) + 1n;
      await this.replayChunk(dlq, group, batch.partition, chunk, next);
    }
    if (atEnd) pending.delete(batch.partition);
    if (pending.size === 0 || (this.o.limit !== undefined && this.summary.read >= this.o.limit)) finish();
  }

  /** Decides each dead letter's fate, then produces the results and commits `next` in one transaction. */
  private async replayChunk(dlq: string, group: string, partition: number, chunk: ConsumedMessage[], next: bigint): Promise<void> {
    const outputs: ProduceRecord[] = [];
    const events: ReplayEvent[] = [];
    for (const m of chunk) {
      const info = readDeadLetter(m.headers);
      const base = { partition, offset: m.offset, stage: info.stage, errorCode: info.errorCode };
      const { event, records } = await this.decide(m, info, dlq);
      events.push({ ...base, ...event });
      outputs.push(...records);
    }
    if (this.producer !== undefined) {
      const producer = this.producer;
      await this.topics.ensure(outputs.map((r) => r.topic).filter((t) => t !== dlq));
      await withRetry(
        'replaying dead letters',
        async () => {
          const tx = await producer.transaction();
          try {
            if (outputs.length > 0) await tx.send(outputs);
            await tx.sendOffsets({ consumerGroupId: group, topics: [{ topic: dlq, partitions: [{ partition, offset: next.toString() }] }] });
            await tx.commit();
          } catch (err) {
            await tx.abort().catch(() => undefined);
            throw err;
          }
        },
        { policy: this.o.spec.errors.retry, clock: this.o.clock, logger: this.o.logger },
      );
    }
    for (const e of events) this.count(e);
  }

  private count(e: ReplayEvent): void {
    const s = this.summary;
    s.read++;
    if (e.action === 'original-topic') s.toOriginalTopics++;
    else if (e.action === 'source-chain') s.throughSource++;
    else if (e.action === 'dropped') s.dropped++;
    else if (e.action === 'failed-again') s.failedAgain++;
    else s.skipped++;
    if (e.topic !== undefined && (e.action === 'original-topic' || e.action === 'source-chain')) s.byTopic[e.topic] = (s.byTopic[e.topic] ?? 0) + 1;
    this.o.onReplay?.(e);
  }

  private async decide(
    m: ConsumedMessage,
    info: DeadLetterInfo,
    dlq: string,
  ): Promise<{ event: Pick<ReplayEvent, 'action' | 'topic' | 'partitionOut' | 'error'>; records: ProduceRecord[] }> {
    const headers = stripDeadLetterHeaders(m.headers);
    if (info.origin !== undefined) {
      const { topic, partition } = info.origin;
      const count = await this.partitionCount(topic);
      const record: ProduceRecord = { topic, key: m.key, value: m.value, headers };
      // Same partition as before when it still exists, so the record stays with its key's others.
      if (partition < count) record.partition = partition;
      return { event: { action: 'original-topic', topic, ...(record.partition !== undefined ? { partitionOut: partition } : {}) }, records: [record] };
    }
    if (info.stage !== 'source.transform' && info.stage !== 'source.serialize') {
      this.o.logger.warn({ offset: m.offset, stage: info.stage }, 'skipping a record without a Tributary dead-letter stage');
      return { event: { action: 'skipped' }, records: [] };
    }
    const source = this.sourceSide();
    let record: SourceRecord = {
      topic: '',
      key: decodePayload(m.key),
      value: decodePayload(m.value),
      headers,
      sourcePartition: {},
      sourceOffset: {},
    };
    try {
      record = { ...record, topic: source.topic(record) };
      if (info.stage === 'source.transform') {
        const out = await source.chain.apply(record);
        if (out === null) return { event: { action: 'dropped' }, records: [] };
        record = out;
      }
      const encoded = await source.codec.encode(record);
      return { event: { action: 'source-chain', topic: encoded.topic }, records: [encoded] };
    } catch (err) {
      const again = { stage: info.stage, error: err, key: m.key, value: m.value, headers };
      return {
        event: { action: 'failed-again', error: errorMessage(err) },
        records: [{ topic: dlq, key: m.key, value: m.value, headers: deadLetterHeaders(again, this.o.spec.name) }],
      };
    }
  }

  /** The pipeline's source-side transforms, serializers and topic, built on first use. */
  private sourceSide(): NonNullable<DlqReplayer['source']> {
    if (this.source === undefined) {
      const { spec, registry, logger, clock } = this.o;
      this.source = {
        chain: createTransformChain(spec.transforms, registry, { pipeline: spec.name, logger, clock }),
        codec: createCodec(spec, registry, logger, clock),
        topic: compileTopicTemplate(spec.topic.name),
      };
    }
    return this.source;
  }

  private async partitionCount(topic: string): Promise<number> {
    let count = this.partitionCounts.get(topic);
    if (count === undefined) {
      const admin = this.o.client.admin();
      await admin.connect();
      try {
        if (!(await admin.listTopics()).includes(topic)) {
          throw new TributaryError('CONFIG_INVALID', `replaying a dead letter: its original topic ${topic} does not exist any more`);
        }
        count = (await admin.fetchTopicOffsets(topic)).length;
      } finally {
        await admin.disconnect();
      }
      this.partitionCounts.set(topic, count);
    }
    return count;
  }
}

/** The pipeline's key and value serializers, as the source worker uses them. */
function createCodec(spec: PipelineSpec, registry: PluginRegistry, logger: Logger, clock: Clock): RecordCodec {
  const make = (s: SerdeSpec, isKey: boolean): { ser: Serializer; de: Deserializer } => {
    const plugin = registry.get('serde', s.format);
    const ctx = { config: s.config, isKey, pipeline: spec.name, logger: logger.child({ serde: s.format, isKey }), clock };
    return { ser: plugin.createSerializer(ctx), de: plugin.createDeserializer(ctx) };
  };
  const key = make(spec.keySerializer, true);
  const value = make(spec.serializer, false);
  return new RecordCodec({ key: key.ser, value: value.ser }, { key: key.de, value: value.de });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The data of a source-side dead letter. Those failed before serialization, so the runtime stored
 * a best-effort rendering: bytes as they were, text as UTF-8, anything else as JSON. This reads it
 * back the same way round: JSON when it parses (integers beyond 2^53 as bigint), else text, else
 * bytes. Lossy where the rendering was: a string that looks like JSON comes back parsed.
 */
export function decodePayload(bytes: Buffer | null): unknown {
  if (bytes === null) return null;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return bytes;
  }
  try {
    return parseJson(text);
  } catch {
    return text;
  }
}
