import type { KafkaClient } from '../kafka/client.ts';
import type { PipelineSpec, SerdeSpec, SinkSpec } from '../pipeline/types.ts';
import type { Clock } from '../sdk/clock.ts';
import { TributaryError, errorMessage } from '../sdk/errors.ts';
import type { Logger } from '../sdk/logger.ts';
import type { PluginRegistry } from '../sdk/registry.ts';
import type { Deserializer, Serializer } from '../sdk/serde.ts';
import { PipelineSchemaRegistry } from '../serde/registry/pipeline-registry.ts';
import { DeadLetterReporter } from './dead-letter.ts';
import { RecordCodec } from './record-codec.ts';
import { withRetry, type RetryPolicy } from './retry.ts';
import { SinkWorker } from './sink-worker.ts';
import { SourceOffsetStore } from './source-offsets.ts';
import { SourceWorker } from './source-worker.ts';
import { TopicEnsurer } from './topic-ensurer.ts';
import { isTopicTemplate } from './topic-template.ts';
import { createTransformChain } from './transform-chain.ts';

export type PipelineRole = 'all' | 'source' | 'sinks';

export interface PipelineRunOptions {
  spec: PipelineSpec;
  registry: PluginRegistry;
  client: KafkaClient;
  logger: Logger;
  clock: Clock;
  /** Which half of the pipeline this process runs; more processes with role `sinks` share the groups. */
  role: PipelineRole;
  /** Restrict to these sinks (by name). Default: all of them. */
  sinkNames?: string[];
  /**
   * When the source is finite: stop once it is exhausted and every sink group has committed up to
   * the end of its topics. Otherwise run until `signal` aborts.
   */
  exitWhenDone: boolean;
  progressIntervalMs?: number;
  /** Source side: bytes per delivery (Kafka transaction in exactly-once). */
  maxBatchBytes?: number;
}

export interface PipelineSummary {
  pipeline: string;
  source?: SourceWorker['progress'];
  sinks: Array<{ name: string; worker: number } & SinkWorker['progress']>;
}

/**
 * Runs one pipeline (Kafka Connect's Worker for a connector and its sinks): wires the source task,
 * transform chains, serdes, dead letters and sink workers, and owns their lifecycle.
 *
 * Shutdown order (SIGINT/SIGTERM abort `signal`): the source stops polling and flushes what it has
 * (positions committed), then each sink worker finishes its current batch, commits, and leaves its
 * group so the partitions move to the remaining members at once.
 */
export class PipelineRunner {
  private readonly sinkWorkers: Array<{ spec: SinkSpec; worker: SinkWorker }> = [];
  private sourceWorker: SourceWorker | undefined;
  /** Started only if a serde asks for `registry: embedded`; stopped after the workers. */
  private readonly schemaRegistry: PipelineSchemaRegistry;

  constructor(private readonly o: PipelineRunOptions) {
    this.schemaRegistry = new PipelineSchemaRegistry({ client: o.client, logger: o.logger, clock: o.clock });
  }

  async run(signal: AbortSignal): Promise<PipelineSummary> {
    const { spec, logger, client } = this.o;
    const internal = new AbortController();
    const stop = (): void => internal.abort(signal.reason);
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    let fatal: Error | undefined;
    const onFatal = (err: Error): void => {
      if (fatal === undefined) {
        fatal = err;
        logger.error({ err: errorMessage(err) }, 'pipeline stopping on error');
      }
      internal.abort(err);
    };
    const topics = new TopicEnsurer(client, spec.topic, logger);
    // Sinks subscribe before the source writes: their topics (per-table CDC topics, say) must exist
    // first, or the consumer would wait on a topic nobody has created yet.
    const known = [spec.topic.name, spec.errors.deadLetterTopic ?? '', ...spec.sinks.flatMap((s) => s.topics)];
    // A broker still starting (or restarting) is waited for within errors.retry.timeout, not fatal.
    await withRetry('creating topics', () => topics.ensure(known.filter((t) => t !== '' && !isTopicTemplate(t))), { policy: this.retryPolicy(), clock: this.o.clock, logger, signal });
    const progressTimer = this.reportProgress(internal.signal);
    try {
      const sinkSpecs = this.o.role === 'source' ? [] : this.selectedSinks();
      for (const sinkSpec of sinkSpecs) await this.startSink(sinkSpec, onFatal);
      if (this.o.role !== 'sinks') {
        const source = await this.createSource(topics);
        this.sourceWorker = source;
        const progress = await source.run(internal.signal).catch((err: unknown) => {
          onFatal(err instanceof Error ? err : new Error(String(err)));
          return source.progress;
        });
        if (progress.exhausted && this.o.exitWhenDone && !internal.signal.aborted) {
          logger.info({ produced: progress.produced }, 'source exhausted; waiting for sinks to catch up');
          await this.waitForSinks(sinkSpecs, source.lastDeliveryStarts(), internal.signal);
          internal.abort('done');
        }
      }
      await waitForAbort(internal.signal);
    } finally {
      signal.removeEventListener('abort', stop);
      await Promise.allSettled(this.sinkWorkers.map((s) => s.worker.stop()));
      await this.schemaRegistry.stop();
      await progressTimer;
    }
    if (fatal) throw fatal;
    const summary = this.summary();
    logger.info({ source: summary.source, sinks: summary.sinks }, 'pipeline stopped');
    return summary;
  }

  summary(): PipelineSummary {
    const summary: PipelineSummary = {
      pipeline: this.o.spec.name,
      sinks: this.sinkWorkers.map((s, i) => ({ name: s.spec.name, worker: i, ...s.worker.progress })),
    };
    if (this.sourceWorker) summary.source = { ...this.sourceWorker.progress };
    return summary;
  }

  private selectedSinks(): SinkSpec[] {
    const names = this.o.sinkNames;
    if (names === undefined || names.length === 0) return this.o.spec.sinks;
    const unknown = names.filter((n) => !this.o.spec.sinks.some((s) => s.name === n));
    if (unknown.length > 0) throw new TributaryError('USAGE', `no sink named ${unknown.join(', ')} in pipeline ${this.o.spec.name}`);
    return this.o.spec.sinks.filter((s) => names.includes(s.name));
  }

  private retryPolicy(): RetryPolicy {
    return { ...this.o.spec.errors.retry };
  }

  private deadLetters(): DeadLetterReporter {
    const { spec, client, logger } = this.o;
    const opts: ConstructorParameters<typeof DeadLetterReporter>[0] = { pipeline: spec.name, tolerance: spec.errors.tolerance, client, logger };
    if (spec.errors.deadLetterTopic !== undefined) opts.topic = spec.errors.deadLetterTopic;
    return new DeadLetterReporter(opts);
  }

  private codec(): RecordCodec {
    const make = (s: SerdeSpec, isKey: boolean): { ser: Serializer; de: Deserializer } => {
      const plugin = this.o.registry.get('serde', s.format);
      const ctx = {
        config: s.config,
        isKey,
        pipeline: this.o.spec.name,
        logger: this.o.logger.child({ serde: s.format, isKey }),
        clock: this.o.clock,
        baseDir: this.o.spec.origin.dir,
        services: this.schemaRegistry.services,
      };
      return { ser: plugin.createSerializer(ctx), de: plugin.createDeserializer(ctx) };
    };
    const key = make(this.o.spec.keySerializer, true);
    const value = make(this.o.spec.serializer, false);
    return new RecordCodec({ key: key.ser, value: value.ser }, { key: key.de, value: value.de });
  }

  private async createSource(topics: TopicEnsurer): Promise<SourceWorker> {
    const { spec, registry, client, clock } = this.o;
    const logger = this.o.logger.child({ source: spec.source.connector });
    const offsets = new SourceOffsetStore(client, spec.name, logger);
    // Positions are read by the worker once its producer has fenced older copies (SourceWorker.openProducer).
    await withRetry('creating the offsets topic', () => offsets.ensureTopic(), { policy: this.retryPolicy(), clock, logger });
    const plugin = registry.get('source', spec.source.connector);
    const task = plugin.createTask({
      config: spec.source.config,
      pipeline: spec.name,
      logger,
      clock,
      taskId: 0,
      committedOffset: (p) => offsets.get(p),
    });
    return new SourceWorker({
      pipeline: spec.name,
      task,
      transforms: createTransformChain(spec.transforms, registry, { pipeline: spec.name, logger, clock }),
      codec: this.codec(),
      client,
      offsets,
      deadLetters: this.deadLetters(),
      topics,
      defaultTopic: spec.topic.name,
      delivery: spec.source.delivery ?? 'exactly-once',
      taskId: 0,
      // A delivery can outgrow this by one poll batch, and Kafka refuses a partition batch over
      // message.max.bytes (1 MiB by default), so the default leaves room for it.
      maxBatchBytes: this.o.maxBatchBytes ?? 512 * 1024,
      retry: this.retryPolicy(),
      logger,
      clock,
    });
  }

  private async startSink(sinkSpec: SinkSpec, onFatal: (err: Error) => void): Promise<void> {
    const { spec, registry, client, clock } = this.o;
    const templated = sinkSpec.topics.filter(isTopicTemplate);
    if (templated.length > 0) {
      throw new TributaryError('CONFIG_INVALID', `${sinkSpec.path}.topics: "${templated.join('", "')}" is a per-record template; list the topics this sink reads explicitly`);
    }
    const plugin = registry.get('sink', sinkSpec.connector);
    const capability = plugin.spec.delivery ?? 'at-least-once';
    if (sinkSpec.delivery === 'exactly-once' && capability === 'at-least-once') {
      throw new TributaryError('CONFIG_INVALID', `${sinkSpec.path}.delivery: sink connector "${sinkSpec.connector}" is at-least-once and cannot honour exactly-once`);
    }
    for (let workerId = 0; workerId < sinkSpec.workers; workerId++) {
      const logger = this.o.logger.child({ sink: sinkSpec.name, worker: workerId });
      const task = plugin.createTask({ config: sinkSpec.config, pipeline: spec.name, logger, clock, sinkName: sinkSpec.name, group: sinkSpec.group, workerId });
      const worker = new SinkWorker({
        pipeline: spec.name,
        sinkName: sinkSpec.name,
        workerId,
        group: sinkSpec.group,
        topics: sinkSpec.topics,
        task,
        transactional: capability === 'transactional' && sinkSpec.delivery === 'exactly-once',
        transforms: createTransformChain(sinkSpec.transforms, registry, { pipeline: spec.name, logger, clock }),
        codec: this.codec(),
        client,
        deadLetters: this.deadLetters(),
        batchSize: sinkSpec.batchSize,
        sessionTimeoutMs: sinkSpec.sessionTimeoutMs,
        retry: this.retryPolicy(),
        logger,
        clock,
        onFatal,
      });
      this.sinkWorkers.push({ spec: sinkSpec, worker });
      await worker.start();
    }
  }

  /**
   * Waits until every selected sink group has committed up to the end of its topics. The end is
   * read only once the source's last delivery is readable in every partition it wrote: Kafka
   * writes a transaction's commit markers after answering EndTxn, and until then the (last
   * stable) end offset still sits at the delivery's first record.
   */
  private async waitForSinks(sinks: SinkSpec[], lastDelivery: Array<{ topic: string; partition: number; offset: bigint }>, signal: AbortSignal): Promise<void> {
    const admin = this.o.client.admin();
    await admin.connect();
    try {
      const readEnds = async (): Promise<Map<string, bigint>> => {
        const ends = new Map<string, bigint>();
        for (const topic of new Set([...sinks.flatMap((s) => s.topics), ...lastDelivery.map((d) => d.topic)])) {
          for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, BigInt(p.high));
        }
        return ends;
      };
      let targets = await readEnds();
      while (!signal.aborted && lastDelivery.some((d) => (targets.get(`${d.topic}:${d.partition}`) ?? 0n) <= d.offset)) {
        await this.o.clock.sleep(50, signal).catch(() => undefined);
        targets = await readEnds();
      }
      for (const sink of sinks) {
        while (!signal.aborted) {
          const committed = await admin.fetchCommittedOffsets(sink.group, sink.topics);
          const behind = committed.filter((c) => (targets.get(`${c.topic}:${c.partition}`) ?? 0n) > BigInt(c.offset ?? '0'));
          if (behind.length === 0) break;
          await this.o.clock.sleep(200, signal).catch(() => undefined);
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  private async reportProgress(signal: AbortSignal): Promise<void> {
    const interval = this.o.progressIntervalMs ?? 5000;
    let lastProduced = 0;
    let lastWritten = 0;
    while (!signal.aborted) {
      await this.o.clock.sleep(interval, signal).catch(() => undefined);
      if (signal.aborted) return;
      const s = this.summary();
      const produced = s.source?.produced ?? 0;
      const written = s.sinks.reduce((n, w) => n + w.written, 0);
      this.o.logger.info(
        { produced, producedPerSec: Math.round(((produced - lastProduced) * 1000) / interval), written, writtenPerSec: Math.round(((written - lastWritten) * 1000) / interval) },
        'progress',
      );
      lastProduced = produced;
      lastWritten = written;
    }
  }
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
