import type { ConnectionOptions } from 'node:tls';
import {
  Kafka,
  type Admin as KjsAdmin,
  type Consumer as KjsConsumer,
  type ConsumerGroupJoinEvent,
  type ConsumerCrashEvent,
  type EachBatchPayload,
  type IHeaders,
  type KafkaConfig,
  type Message,
  type Producer as KjsProducer,
  type RetryOptions,
  type SASLOptions,
  type Transaction as KjsTransaction,
} from 'kafkajs';
import { systemClock, type Clock } from '../sdk/clock.ts';
import { TributaryError } from '../sdk/errors.ts';
import type { Logger } from '../sdk/logger.ts';
import type { KafkaSpec } from '../pipeline/types.ts';
import type {
  Admin,
  BatchContext,
  CommittedOffset,
  ConsumedMessage,
  Consumer,
  ConsumerBatch,
  ConsumerOptions,
  ConsumerRunOptions,
  EnsureTopicResult,
  KafkaClient,
  PartitionOffset,
  ProduceRecord,
  ProduceResult,
  Producer,
  ProducerOptions,
  ProducerTransaction,
  TopicPartition,
  TopicPartitionOffsets,
  TopicRequest,
  TransactionOffsets,
} from './client.ts';
import { kafkaError } from './errors.ts';
import { fromKafkaHeaders, toKafkaHeaders, type KafkaHeaders } from './headers.ts';
import { createKafkajsLogCreator, KAFKAJS_LEVELS, type KafkaLogLevel } from './kafkajs-log.ts';
import { installExactRecordEncoder } from './kafkajs-record-encoder.ts';
import { tributaryPartitioner } from './partitioner.ts';

// Before any producer exists: kafkajs loads its Produce request (which takes the record encoder) on the first send.
installExactRecordEncoder();

/** What the adapter needs to reach a cluster: a full KafkaSpec, or just brokers (tests, the embedded broker). */
export type KafkaConnection = Pick<KafkaSpec, 'brokers'> & Partial<Omit<KafkaSpec, 'brokers'>>;

/**
 * The client's own retries. They are bounded for every producer, idempotent ones included (kafkajs
 * would retry those forever), so a cluster that stays down surfaces as KAFKA_UNAVAILABLE and the
 * runtime's errors.retry policy decides. That is safe for transactional producers (the runtime
 * aborts and resends the whole transaction); for a merely idempotent producer a resend after a
 * failure can duplicate records, as with Java after delivery.timeout.ms.
 */
export interface RetrySettings {
  /** First backoff after a failed request. */
  initialRetryTimeMs: number;
  /** Cap on one backoff. */
  maxRetryTimeMs: number;
  /** Attempts after the first before the client gives up and the error reaches the runtime. */
  retries: number;
}

export interface KafkaClientOptions {
  logger: Logger;
  /** Used when the spec names none. */
  clientId?: string;
  /** The client's own retry loop for requests; the runtime retries around it per errors.retry. */
  retry?: Partial<RetrySettings>;
  connectionTimeoutMs?: number;
  /** Also bounds how long a request may wait for its response before it is retried. */
  requestTimeoutMs?: number;
  /** Threshold for kafkajs's own log lines (they are then filtered again by `logger`). */
  logLevel?: KafkaLogLevel;
  /** Times the admin client's retries of transient errors. */
  clock?: Clock;
}

export const DEFAULT_CLIENT_ID = 'tributary';
/** First retry delay of a transactional producer (see KafkajsProducer). */
export const TRANSACTIONAL_FIRST_BACKOFF_MS = 20;
export const DEFAULT_RETRY: RetrySettings = { initialRetryTimeMs: 300, maxRetryTimeMs: 30_000, retries: 8 };
/** kafkajs's 1 s default is too tight for a TLS + SASL handshake to a remote cluster. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
/**
 * Java's fetch.max.wait.ms. kafkajs's 5000 would also be how long a member sleeps when all its
 * partitions are paused, which they are right after every join until onPartitionsAssigned resolves.
 */
export const DEFAULT_MAX_WAIT_TIME_MS = 500;
/** kafkajs keeps ordering of an idempotent producer only with one request in flight. */
const IDEMPOTENT_MAX_IN_FLIGHT = 1;
const DEFAULT_MAX_IN_FLIGHT = 5;
/** acks=all: a record counts as sent once every in-sync replica has it. */
const ACKS_ALL = -1;

/** The kafkajs implementation of {@link KafkaClient}. */
export class KafkajsClient implements KafkaClient {
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly retry: RetryOptions;
  private readonly retrySettings: RetrySettings;
  private readonly clock: Clock;

  constructor(connection: KafkaConnection, options: KafkaClientOptions) {
    if (!Array.isArray(connection.brokers) || connection.brokers.length === 0) {
      throw new TributaryError('CONFIG_INVALID', 'creating Kafka client: kafka.brokers must list at least one host:port');
    }
    this.logger = options.logger.child({ component: 'kafka' });
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    this.retrySettings = retry;
    this.clock = options.clock ?? systemClock;
    this.retry = { initialRetryTime: retry.initialRetryTimeMs, maxRetryTime: retry.maxRetryTimeMs, retries: retry.retries };
    const secrets = [connection.sasl?.password ?? '', typeof connection.ssl === 'object' ? (connection.ssl.key ?? '') : ''];
    const config: KafkaConfig = {
      clientId: connection.clientId ?? options.clientId ?? DEFAULT_CLIENT_ID,
      brokers: [...connection.brokers],
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      retry: this.retry,
      logLevel: KAFKAJS_LEVELS[options.logLevel ?? 'info'],
      logCreator: createKafkajsLogCreator(this.logger, { secrets }),
    };
    const ssl = sslOptions(connection.ssl);
    if (ssl !== undefined) config.ssl = ssl;
    const sasl = saslOptions(connection.sasl);
    if (sasl !== undefined) config.sasl = sasl;
    this.kafka = new Kafka(config);
  }

  private readonly retrying: Retrier = (what, op) => retryTransient(what, op, this.retrySettings, this.clock, this.logger);

  producer(options: ProducerOptions = {}): Producer {
    return new KafkajsProducer(this.kafka, options, this.retry, this.retrying);
  }

  consumer(options: ConsumerOptions): Consumer {
    return new KafkajsConsumer(this.kafka, options, this.retry, this.logger);
  }

  admin(): Admin {
    return new KafkajsAdmin(this.kafka.admin({ retry: this.retry }), this.logger, this.retrying);
  }
}

function sslOptions(ssl: KafkaSpec['ssl']): KafkaConfig['ssl'] | undefined {
  if (ssl === undefined || ssl === false) return undefined;
  if (ssl === true) return true;
  const tls: ConnectionOptions = {};
  // Values are PEM text (see the pipeline schema), passed to Node's TLS as they are.
  if (ssl.ca !== undefined) tls.ca = ssl.ca;
  if (ssl.cert !== undefined) tls.cert = ssl.cert;
  if (ssl.key !== undefined) tls.key = ssl.key;
  if (ssl.rejectUnauthorized !== undefined) tls.rejectUnauthorized = ssl.rejectUnauthorized;
  return tls;
}

function saslOptions(sasl: KafkaSpec['sasl']): SASLOptions | undefined {
  if (sasl === undefined) return undefined;
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
    default:
      throw new TributaryError('CONFIG_INVALID', `creating Kafka client: unsupported kafka.sasl.mechanism "${String((sasl as { mechanism: unknown }).mechanism)}"`);
  }
}

/**
 * Retries an idempotent admin operation on errors kafkajs flags retriable but does not retry itself
 * (NOT_LEADER right after a topic is created, COORDINATOR_LOAD_IN_PROGRESS right after a broker
 * starts). KAFKA_UNAVAILABLE is not retried here: kafkajs already spent its retry budget on it.
 */
async function retryTransient<T>(what: string, op: () => Promise<T>, settings: RetrySettings, clock: Clock, logger: Logger): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (raw) {
      const err = kafkaError(raw, what);
      if (!err.retriable || err.code !== 'KAFKA_REQUEST_FAILED' || attempt >= settings.retries) throw err;
      const delay = Math.min(settings.initialRetryTimeMs * 2 ** attempt, settings.maxRetryTimeMs);
      logger.debug({ err: err.message, attempt: attempt + 1, delayMs: delay }, `retrying: ${what}`);
      await clock.sleep(delay);
    }
  }
}

type Retrier = <T>(what: string, op: () => Promise<T>) => Promise<T>;

// ---------------------------------------------------------------------------------------------------
// Producer

interface Sender {
  sendBatch: KjsProducer['sendBatch'];
}

const EMPTY = Buffer.alloc(0);

function toMessage(record: ProduceRecord): Message {
  const message: Message = { key: record.key, value: record.value };
  if (record.partition !== undefined) message.partition = record.partition;
  if (record.timestamp !== undefined) message.timestamp = String(record.timestamp);
  // kafkajs 2.2.4 cannot produce a null header value: its size calculation calls
  // Buffer.byteLength(null) before checking for null, and the send throws. An empty value is the
  // closest it can write; null header values from other producers are still read back as null.
  const headers = toKafkaHeaders(record.headers?.map((h) => (h.value === null ? { key: h.key, value: EMPTY } : h)));
  if (headers !== undefined) message.headers = headers as IHeaders;
  return message;
}

async function sendRecords(sender: Sender, records: readonly ProduceRecord[], what: string): Promise<ProduceResult[]> {
  if (records.length === 0) return [];
  // One entry per topic, records in the caller's order: kafkajs keeps that order within a partition.
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    const messages = byTopic.get(record.topic) ?? [];
    messages.push(toMessage(record));
    byTopic.set(record.topic, messages);
  }
  try {
    const metadata = await sender.sendBatch({
      acks: ACKS_ALL,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    return metadata.map((m) => ({ topic: m.topicName, partition: m.partition, baseOffset: m.baseOffset ?? m.offset ?? '-1' }));
  } catch (err) {
    throw kafkaError(err, `${what} ${records.length} record(s) to ${[...byTopic.keys()].join(', ')}`);
  }
}

class KafkajsProducer implements Producer {
  private readonly producer: KjsProducer;
  private readonly transactional: boolean;
  private closed = false;

  constructor(kafka: Kafka, options: ProducerOptions, retry: RetryOptions, private readonly retrying: Retrier) {
    this.transactional = options.transactionalId !== undefined;
    const idempotent = this.transactional || options.idempotent === true;
    this.producer = kafka.producer({
      createPartitioner: tributaryPartitioner,
      // Back-to-back transactions on Apache Kafka meet CONCURRENT_TRANSACTIONS while the previous
      // commit's markers are written (a few milliseconds); a 300 ms first backoff would cap a
      // transactional source at about three transactions a second.
      retry: this.transactional ? { ...retry, initialRetryTime: Math.min(retry.initialRetryTime ?? 300, TRANSACTIONAL_FIRST_BACKOFF_MS) } : retry,
      idempotent,
      maxInFlightRequests: options.maxInFlightRequests ?? (idempotent ? IDEMPOTENT_MAX_IN_FLIGHT : DEFAULT_MAX_IN_FLIGHT),
      // Topics are created deliberately (Admin.ensureTopics); a typo must fail, not create a topic.
      allowAutoTopicCreation: false,
      ...(options.transactionalId !== undefined
        ? { transactionalId: options.transactionalId, transactionTimeout: options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS }
        : {}),
    });
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
    } catch (err) {
      throw kafkaError(err, 'connecting producer');
    }
    if (!this.transactional) return;
    // Java's initTransactions(): register the transactional id now, which bumps its epoch and so
    // fences an older producer with the same id (a zombie task) at start, not at our first send.
    // kafkajs does that only in its first transaction(); an empty transaction ends without EndTxn.
    try {
      const init = await this.producer.transaction();
      await init.abort();
    } catch (err) {
      throw kafkaError(err, 'initializing transactions');
    }
  }

  send(records: ProduceRecord[]): Promise<ProduceResult[]> {
    if (this.transactional) {
      return Promise.reject(new TributaryError('INTERNAL', 'producing: a transactional producer must send inside transaction()'));
    }
    return sendRecords(this.producer, records, 'producing');
  }

  async transaction(): Promise<ProducerTransaction> {
    if (!this.transactional) {
      throw new TributaryError('INTERNAL', 'beginning transaction: the producer has no transactionalId');
    }
    try {
      return new KafkajsTransaction(await this.producer.transaction(), this.retrying);
    } catch (err) {
      throw kafkaError(err, 'beginning transaction');
    }
  }

  async disconnect(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.producer.disconnect();
    } catch (err) {
      throw kafkaError(err, 'disconnecting producer');
    }
  }
}

class KafkajsTransaction implements ProducerTransaction {
  constructor(
    private readonly txn: KjsTransaction,
    private readonly retrying: Retrier,
  ) {}

  send(records: ProduceRecord[]): Promise<ProduceResult[]> {
    return sendRecords(this.txn, records, 'producing in transaction');
  }

  sendOffsets(offsets: TransactionOffsets): Promise<void> {
    // Retried here because kafkajs does not retry AddOffsetsToTxn: right after the previous
    // transaction's commit the coordinator answers CONCURRENT_TRANSACTIONS until its markers are
    // written, and the Java client retries that too. A failed attempt leaves the transaction as it was.
    return this.retrying(`adding offsets of group ${offsets.consumerGroupId} to transaction`, () =>
      this.txn.sendOffsets({ consumerGroupId: offsets.consumerGroupId, topics: offsets.topics }),
    );
  }

  async commit(): Promise<void> {
    try {
      await this.txn.commit();
    } catch (err) {
      throw kafkaError(err, 'committing transaction');
    }
  }

  async abort(): Promise<void> {
    try {
      await this.txn.abort();
    } catch (err) {
      throw kafkaError(err, 'aborting transaction');
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Consumer

/** A set of topic-partitions keyed as `topic\0partition` (NUL cannot appear in a topic name). */
class PartitionSet {
  private readonly keys = new Map<string, TopicPartition>();

  constructor(partitions: Iterable<TopicPartition> = []) {
    for (const tp of partitions) this.add(tp);
  }

  add(tp: TopicPartition): void {
    this.keys.set(`${tp.topic}\0${tp.partition}`, { topic: tp.topic, partition: tp.partition });
  }

  delete(tp: TopicPartition): void {
    this.keys.delete(`${tp.topic}\0${tp.partition}`);
  }

  has(topic: string, partition: number): boolean {
    return this.keys.has(`${topic}\0${partition}`);
  }

  get size(): number {
    return this.keys.size;
  }

  list(): TopicPartition[] {
    return sortPartitions([...this.keys.values()]);
  }
}

function sortPartitions(list: TopicPartition[]): TopicPartition[] {
  return list.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

function byTopic(partitions: readonly TopicPartition[]): Array<{ topic: string; partitions: number[] }> {
  const map = new Map<string, number[]>();
  for (const { topic, partition } of partitions) map.set(topic, [...(map.get(topic) ?? []), partition]);
  return [...map].map(([topic, ps]) => ({ topic, partitions: ps }));
}

/**
 * Wraps an error thrown by runtime code (eachBatch or a rebalance listener) on its way through
 * kafkajs. `retriable: false` makes kafkajs stop instead of re-running the handler, and the original
 * is kept off `cause` on purpose: kafkajs decides whether to restart from the root cause's flag.
 */
class HandlerFailure extends Error {
  readonly retriable = false;
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'TributaryHandlerFailure';
  }
}

function findHandlerFailure(err: unknown): HandlerFailure | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 16 && typeof e === 'object' && e !== null; depth++) {
    if (e instanceof HandlerFailure) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

class KafkajsConsumer implements Consumer {
  private readonly consumer: KjsConsumer;
  private readonly logger: Logger;
  private readonly fromBeginning: boolean;
  private handlers: ConsumerRunOptions | undefined;
  private running = false;
  /** Bumped at every group join; a listener step that finds a newer generation leaves the work to it. */
  private generation = 0;
  /** Partitions whose onPartitionsAssigned resolved and that were not revoked since: the only ones delivered. */
  private owned = new PartitionSet();
  /** The current generation's partitions that may be delivered (owned, and the gate lifted). */
  private open = new PartitionSet();
  /** Partitions the runtime paused; they stay paused across rebalances and kafkajs restarts. */
  private readonly userPaused = new PartitionSet();
  /** Full assignment of the current generation. */
  private assigned: TopicPartition[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Listener steps run one after another, in generation order. */
  private listenerQueue: Promise<void> = Promise.resolve();
  private stopping = false;
  private failed = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(kafka: Kafka, private readonly options: ConsumerOptions, retry: RetryOptions, logger: Logger) {
    this.logger = logger.child({ group: options.groupId });
    this.fromBeginning = options.fromBeginning ?? true;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      readUncommitted: !(options.readCommitted ?? true),
      maxWaitTimeInMs: options.maxWaitTimeMs ?? DEFAULT_MAX_WAIT_TIME_MS,
      allowAutoTopicCreation: false,
      retry: {
        ...retry,
        // kafkajs restarts itself after failures it flags retriable (a lost broker); handler failures never are.
        restartOnFailure: async (err) => findHandlerFailure(err) === undefined,
      },
      ...(options.sessionTimeoutMs !== undefined ? { sessionTimeout: options.sessionTimeoutMs } : {}),
      ...(options.rebalanceTimeoutMs !== undefined ? { rebalanceTimeout: options.rebalanceTimeoutMs } : {}),
      ...(options.heartbeatIntervalMs !== undefined ? { heartbeatInterval: options.heartbeatIntervalMs } : {}),
      ...(options.maxBytesPerPartition !== undefined ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
    });
  }

  async connect(): Promise<void> {
    try {
      await this.consumer.connect();
    } catch (err) {
      throw kafkaError(err, `connecting consumer of group ${this.options.groupId}`);
    }
  }

  async subscribe(topics: string[]): Promise<void> {
    try {
      await this.consumer.subscribe({ topics, fromBeginning: this.fromBeginning });
    } catch (err) {
      throw kafkaError(err, `subscribing group ${this.options.groupId} to ${topics.join(', ')}`);
    }
  }

  async run(handlers: ConsumerRunOptions): Promise<void> {
    if (this.running) throw new TributaryError('INTERNAL', `running consumer of group ${this.options.groupId}: run() was already called`);
    this.running = true;
    this.handlers = handlers;
    // Registered before run(): kafkajs emits the first GROUP_JOIN from inside run().
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event: ConsumerGroupJoinEvent) => this.onGroupJoin(event.payload.memberAssignment));
    this.consumer.on(this.consumer.events.CRASH, (event: ConsumerCrashEvent) => this.onClientCrash(event.payload.error, event.payload.restart));
    try {
      await this.consumer.run({
        autoCommit: false,
        // Resolved by deliver() only after the handler succeeded, so a skipped batch is fetched again.
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.deliver(payload),
      });
    } catch (err) {
      throw kafkaError(err, `running consumer of group ${this.options.groupId}`);
    }
  }

  /**
   * Runs synchronously inside kafkajs, after the new assignment is known and before it fetches again:
   * the whole assignment is paused here so nothing of it is fetched until the listener step resumes it.
   */
  private onGroupJoin(memberAssignment: Record<string, number[]>): void {
    const generation = ++this.generation;
    const next = sortPartitions(Object.entries(memberAssignment).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition }))));
    this.assigned = next;
    this.open = new PartitionSet();
    if (next.length > 0) this.tryClient(() => this.consumer.pause(byTopic(next)));
    this.logger.debug({ generation, assignment: byTopic(next) }, 'joined consumer group');
    this.enqueue(() => this.applyGeneration(generation, next));
  }

  private enqueue(step: () => Promise<void>): void {
    this.listenerQueue = this.listenerQueue.then(step).catch((err: unknown) => this.fail(err));
  }

  private async applyGeneration(generation: number, next: TopicPartition[]): Promise<void> {
    await this.revokeOwned();
    if (generation !== this.generation || this.stopping || this.failed) return;
    const positions = (await this.handlers?.onPartitionsAssigned?.(next)) ?? [];
    // Owned from here on even if superseded meanwhile, so the next step revokes what was opened.
    this.owned = new PartitionSet(next);
    if (generation !== this.generation || this.stopping || this.failed) return;
    const nextSet = new PartitionSet(next);
    for (const position of positions) {
      if (!nextSet.has(position.topic, position.partition)) {
        throw new TributaryError('INTERNAL', `seeking ${position.topic}[${position.partition}]: onPartitionsAssigned returned a position for a partition not assigned to this member`);
      }
      this.consumer.seek({ topic: position.topic, partition: position.partition, offset: position.offset });
    }
    // Invariant: seeks are registered before resume, so the first fetch of a partition uses them.
    this.open = nextSet;
    const resumable = next.filter((tp) => !this.userPaused.has(tp.topic, tp.partition));
    if (resumable.length > 0) this.consumer.resume(byTopic(resumable));
    this.logger.debug({ assigned: byTopic(next), seeks: positions.length }, 'consumer assignment applied');
  }

  /** Revokes everything owned, once in-flight batches settled (they may belong to the owned partitions). */
  private async revokeOwned(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    if (this.owned.size === 0) return;
    const revoked = this.owned.list();
    this.owned = new PartitionSet();
    this.open = new PartitionSet();
    await this.handlers?.onPartitionsRevoked?.(revoked);
    this.logger.debug({ revoked: byTopic(revoked) }, 'consumer assignment revoked');
  }

  private async deliver(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    // Gated (assignment listener pending), revoked, or closing: leave the batch unresolved; it is
    // fetched again once the partition is resumed, from the position the listener chose.
    if (!this.open.has(topic, partition) || this.stopping || this.failed) return;
    const generation = this.generation;
    const handlers = this.handlers;
    if (handlers === undefined) return;
    const converted = toConsumerBatch(batch);
    if (converted.messages.length === 0) return;
    const context: BatchContext = {
      heartbeat: async () => {
        try {
          await payload.heartbeat();
        } catch (err) {
          throw kafkaError(err, `heartbeating group ${this.options.groupId}`);
        }
      },
      isRunning: () => payload.isRunning() && !this.stopping && this.open.has(topic, partition),
    };
    const work = handlers.eachBatch(converted, context);
    this.inFlight.add(work);
    try {
      await work;
    } catch (err) {
      throw new HandlerFailure(err);
    } finally {
      this.inFlight.delete(work);
    }
    // A rebalance finished while the handler ran: the new generation starts from commits or
    // seeks only, and kafkajs's new offset tracker may not even know this topic any more.
    if (generation === this.generation) payload.resolveOffset(batch.lastOffset());
  }

  private onClientCrash(error: Error, restart: boolean): void {
    const handlerFailure = findHandlerFailure(error);
    const reported = handlerFailure !== undefined ? handlerFailure.original : kafkaError(error, `consuming as group ${this.options.groupId}`);
    if (restart) {
      this.logger.warn({ err: reported }, 'consumer failed; the client is restarting it');
      return;
    }
    this.fail(reported);
  }

  /** Reports a terminal failure once and stops delivery; the runtime is expected to disconnect(). */
  private fail(err: unknown): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.handlers?.onCrash !== undefined) this.handlers.onCrash(error);
    else this.logger.error({ err: error }, 'consumer stopped');
  }

  async commitOffsets(offsets: PartitionOffset[]): Promise<void> {
    if (this.failed || this.closed) {
      // kafkajs silently drops commits once its runner stopped; say so instead.
      throw new TributaryError('KAFKA_REQUEST_FAILED', `committing offsets of group ${this.options.groupId}: the consumer has stopped`, { retriable: false });
    }
    // A partition outside the current assignment belongs to another member now: its commit would
    // overwrite the new owner's progress, and the broker does not check ownership.
    const current = new PartitionSet(this.assigned);
    const mine = offsets.filter((o) => current.has(o.topic, o.partition));
    if (mine.length < offsets.length) {
      this.logger.debug({ skipped: offsets.filter((o) => !current.has(o.topic, o.partition)) }, 'not committing offsets of partitions no longer assigned');
    }
    if (mine.length === 0) return;
    try {
      await this.consumer.commitOffsets(mine.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
    } catch (err) {
      throw kafkaError(err, `committing offsets of group ${this.options.groupId}`);
    }
  }

  seek(position: PartitionOffset): void {
    try {
      this.consumer.seek({ topic: position.topic, partition: position.partition, offset: position.offset });
    } catch (err) {
      throw kafkaError(err, `seeking ${position.topic}[${position.partition}] to ${position.offset}`);
    }
  }

  pause(partitions: TopicPartition[]): void {
    for (const tp of partitions) this.userPaused.add(tp);
    // Before the first join there is nothing to pause yet; every join re-applies userPaused.
    if (this.generation > 0 && partitions.length > 0) this.tryClient(() => this.consumer.pause(byTopic(partitions)));
  }

  resume(partitions: TopicPartition[]): void {
    for (const tp of partitions) this.userPaused.delete(tp);
    // A partition still behind the assignment gate stays paused; the listener step resumes it.
    const resumable = partitions.filter((tp) => this.open.has(tp.topic, tp.partition));
    if (this.generation > 0 && resumable.length > 0) this.tryClient(() => this.consumer.resume(byTopic(resumable)));
  }

  /**
   * pause/resume throw only while kafkajs has no group (between a crash and its restart); the next
   * join pauses the whole assignment and re-applies userPaused, so there is nothing to lose.
   */
  private tryClient(action: () => void): void {
    try {
      action();
    } catch (err) {
      this.logger.debug({ err }, 'consumer group not running; pause state applies at the next join');
    }
  }

  assignment(): TopicPartition[] {
    return this.open.list();
  }

  /** Safe to call twice: a second call waits for the first. Do not await it inside eachBatch or a listener (they are awaited by it). */
  disconnect(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  private async close(): Promise<void> {
    this.stopping = true;
    if (this.assigned.length > 0) this.tryClient(() => this.consumer.pause(byTopic(this.assigned)));
    // Pending listener steps finish first (they skip assigning once stopping), then in-flight
    // batches settle, then what the runtime opened is revoked while the group still counts this
    // member, so commits made by onPartitionsRevoked still land.
    await this.listenerQueue;
    let revokeError: unknown;
    try {
      await this.revokeOwned();
    } catch (err) {
      revokeError = err;
    }
    this.closed = true;
    try {
      await this.consumer.disconnect();
    } catch (err) {
      throw kafkaError(err, `disconnecting consumer of group ${this.options.groupId}`);
    }
    if (revokeError !== undefined) throw revokeError;
  }
}

function toConsumerBatch(batch: EachBatchPayload['batch']): ConsumerBatch {
  const messages: ConsumedMessage[] = batch.messages.map((m) => ({
    offset: m.offset,
    key: m.key ?? null,
    value: m.value ?? null,
    headers: fromKafkaHeaders(m.headers as KafkaHeaders | undefined),
    timestamp: Number(m.timestamp),
  }));
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages,
    highWatermark: batch.highWatermark,
    // lastOffset() counts transaction markers and aborted records filtered out of `messages`.
    nextOffset: (BigInt(batch.lastOffset()) + 1n).toString(),
  };
}

// ---------------------------------------------------------------------------------------------------
// Admin

class KafkajsAdmin implements Admin {
  private closed = false;

  constructor(
    private readonly admin: KjsAdmin,
    private readonly logger: Logger,
    private readonly retrying: Retrier,
  ) {}

  async connect(): Promise<void> {
    try {
      await this.admin.connect();
    } catch (err) {
      throw kafkaError(err, 'connecting admin client');
    }
  }

  ensureTopics(topics: TopicRequest[]): Promise<EnsureTopicResult[]> {
    if (topics.length === 0) return Promise.resolve([]);
    const names = topics.map((t) => t.topic);
    let created = new Set<string>();
    return this.retrying(`ensuring topics ${names.join(', ')}`, async () => {
      const existing = new Set(await this.admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length > 0) {
        // false: another process created them between listTopics and here (kafkajs maps TOPIC_ALREADY_EXISTS).
        const didCreate = await this.admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor ?? -1,
            configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
          })),
        });
        // Kept across a retry of this operation, which then finds the topics existing.
        if (didCreate) created = new Set([...created, ...missing.map((t) => t.topic)]);
      }
      const metadata = await this.admin.fetchTopicMetadata({ topics: names });
      const counts = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
      return topics.map((t): EnsureTopicResult => {
        const partitions = counts.get(t.topic) ?? 0;
        if (created.has(t.topic)) return { topic: t.topic, outcome: 'created', partitions };
        if (partitions < t.partitions) {
          this.logger.warn(
            { topic: t.topic, partitions, requested: t.partitions },
            'topic exists with fewer partitions than configured; leaving it as it is (adding partitions would move keys to other partitions)',
          );
          return { topic: t.topic, outcome: 'exists-with-fewer-partitions', partitions };
        }
        return { topic: t.topic, outcome: 'exists', partitions };
      });
    });
  }

  listTopics(): Promise<string[]> {
    return this.retrying('listing topics', async () => (await this.admin.listTopics()).sort());
  }

  fetchTopicOffsets(topic: string): Promise<TopicPartitionOffsets[]> {
    return this.retrying(`fetching offsets of topic ${topic}`, async () => {
      const offsets = await this.admin.fetchTopicOffsets(topic);
      return offsets.map(({ partition, low, high }) => ({ partition, low, high })).sort((a, b) => a.partition - b.partition);
    });
  }

  fetchCommittedOffsets(groupId: string, topics: string[]): Promise<CommittedOffset[]> {
    if (topics.length === 0) return Promise.resolve([]);
    return this.retrying(`fetching committed offsets of group ${groupId}`, async () => {
      const result = await this.admin.fetchOffsets({ groupId, topics });
      return result.flatMap(({ topic, partitions }) =>
        partitions
          .map(({ partition, offset }) => ({ topic, partition, offset: offset.startsWith('-') ? null : offset }))
          .sort((a, b) => a.partition - b.partition),
      );
    });
  }

  deleteTopics(topics: string[]): Promise<void> {
    if (topics.length === 0) return Promise.resolve();
    return this.retrying(`deleting topics ${topics.join(', ')}`, async () => {
      const existing = new Set(await this.admin.listTopics());
      const present = topics.filter((t) => existing.has(t));
      if (present.length > 0) await this.admin.deleteTopics({ topics: present });
    });
  }

  async disconnect(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.admin.disconnect();
    } catch (err) {
      throw kafkaError(err, 'disconnecting admin client');
    }
  }
}
