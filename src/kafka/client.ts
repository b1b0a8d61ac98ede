/**
 * The Kafka client contract the runtime uses. It is KafkaJS-shaped (connect / send / transaction /
 * run with eachBatch) but speaks only Tributary types, so the runtime never imports kafkajs and a
 * librdkafka adapter (@confluentinc/kafka-javascript) can be added beside `kafkajs-adapter.ts` without
 * touching the runtime. The embedded broker and a real cluster are reached through the same interface.
 *
 * Errors: every method rejects with a `TributaryError` from the catalogue in src/sdk/errors.ts:
 * `KAFKA_UNAVAILABLE` (cannot reach the cluster), `KAFKA_FENCED` (a newer producer with the same
 * transactional id exists: stop, do not retry), or `KAFKA_REQUEST_FAILED` with `retriable` taken from
 * the underlying client's own judgement of the error.
 *
 * Offsets are decimal strings throughout: Kafka offsets are int64 and can exceed 2^53.
 */
import type { RecordHeader, TopicPartition } from '../sdk/record.ts';
import type { PartitionOffset } from '../sdk/sink.ts';

export type { PartitionOffset, RecordHeader, TopicPartition };

export interface KafkaClient {
  producer(options?: ProducerOptions): Producer;
  consumer(options: ConsumerOptions): Consumer;
  admin(): Admin;
}

// ---------------------------------------------------------------------------------------------------
// Producer

export interface ProducerOptions {
  /**
   * Makes the producer transactional (and therefore idempotent). Producers sharing an id fence each
   * other: the newest one to `connect()` wins and the older one's next transactional call fails with
   * `KAFKA_FENCED`. Derive it from pipeline + task so a restarted task fences its zombie.
   */
  transactionalId?: string;
  /** Exactly-once per partition within one producer session (no duplicates from retries). Implied by `transactionalId`. */
  idempotent?: boolean;
  /** Defaults to 1 for idempotent/transactional producers (kafkajs requires it to keep ordering), else 5. */
  maxInFlightRequests?: number;
  /** Broker aborts a transaction left open longer than this. Default 60000. */
  transactionTimeoutMs?: number;
}

/** A record on its way into Kafka: key and value already serialized. */
export interface ProduceRecord {
  topic: string;
  /** Explicit partition; otherwise murmur2 of `key` (Java-compatible), or round-robin for a null key. */
  partition?: number;
  key: Buffer | null;
  value: Buffer | null;
  /**
   * Order is kept within each key; see headers.ts for what the wire format cannot keep. The kafkajs
   * adapter writes a null value as an empty one (kafkajs 2.2.4 cannot encode null header values).
   */
  headers?: RecordHeader[];
  /** Milliseconds since the epoch; the broker's time when absent (CreateTime = now). */
  timestamp?: number;
}

/** Where the records of one `send` landed in one partition: they occupy `baseOffset`, `baseOffset + 1`, ... in send order. */
export interface ProduceResult {
  topic: string;
  partition: number;
  baseOffset: string;
}

/** Consumer positions to commit inside a transaction: the NEXT offset to read per partition. */
export interface TransactionOffsets {
  consumerGroupId: string;
  topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
}

/**
 * Call order: `connect()`, then any number of `send()` / `transaction()`, then `disconnect()` (safe
 * twice). A transactional producer may only use `transaction()`; a non-transactional one only `send()`.
 * At most one transaction is open per producer at a time.
 */
export interface Producer {
  connect(): Promise<void>;
  /** Resolves when every record is acknowledged by all in-sync replicas (acks=all). */
  send(records: ProduceRecord[]): Promise<ProduceResult[]>;
  /** Begins a transaction. Requires `transactionalId`. */
  transaction(): Promise<ProducerTransaction>;
  disconnect(): Promise<void>;
}

/**
 * One Kafka transaction. Everything sent through it, and the offsets given to `sendOffsets`, become
 * visible to read_committed consumers atomically on `commit()`, or never after `abort()`.
 * After `commit()` or `abort()` resolves (or either rejects) the object is finished; begin a new one.
 * A `KAFKA_FENCED` rejection means this producer must be discarded.
 */
export interface ProducerTransaction {
  send(records: ProduceRecord[]): Promise<ProduceResult[]>;
  /** Commits consumer-group offsets as part of this transaction (topic-to-topic exactly once). */
  sendOffsets(offsets: TransactionOffsets): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Consumer

export interface ConsumerOptions {
  groupId: string;
  /** Only see records of committed transactions (isolation.level=read_committed). Default true. */
  readCommitted?: boolean;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxBytesPerPartition?: number;
  /**
   * Longest a fetch waits at the broker for new records (fetch.max.wait.ms). Also how long a member
   * idles before it sees partitions resumed after an assignment. Default 500, like the Java client.
   */
  maxWaitTimeMs?: number;
  /**
   * Where a partition with no committed offset (and no seek from `onPartitionsAssigned`) starts:
   * the earliest offset (true, the default, like Kafka Connect sinks) or the end (false).
   */
  fromBeginning?: boolean;
}

export interface ConsumedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  /** Milliseconds since the epoch (CreateTime or LogAppendTime, as the topic is configured). */
  timestamp: number;
}

/** Consecutive records of one partition. Never empty. */
export interface ConsumerBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
  /** Offset after the last record in the partition when this batch was fetched (for lag). */
  highWatermark: string;
  /**
   * The position after this batch: commit this (not last message offset + 1) once the batch is done.
   * It can be past the last message when transaction markers or aborted records follow it, which
   * are never delivered; committing it keeps a restarted consumer and lag monitors from stopping on them.
   */
  nextOffset: string;
}

export interface BatchContext {
  /** Lets the group know this member is alive during a long `eachBatch`; may reject when a rebalance started. */
  heartbeat(): Promise<void>;
  /** False once `disconnect()` began or the partition is being revoked: finish up quickly. */
  isRunning(): boolean;
}

/**
 * Rebalance-aware consumption. Contract (the `open`/`put`/`close` order of SinkTask follows from it):
 *
 * - Every group generation begins with `onPartitionsRevoked(previous assignment)` (skipped when it is
 *   empty) followed by `onPartitionsAssigned(new assignment)`. Like Java's eager protocol, the
 *   assignment is the member's FULL assignment, including partitions it kept: after a rebalance the
 *   client restarts kept partitions from the group's committed offsets, so the runtime must re-seek
 *   them too if it keeps positions elsewhere.
 * - Invariant: no batch of a partition reaches `eachBatch` until `onPartitionsAssigned` of the
 *   generation that assigned it has resolved. Partitions are paused from the moment the assignment is
 *   known until then, and fetches of paused partitions are discarded.
 * - `onPartitionsAssigned` may return positions (next offset to read). The consumer seeks to them
 *   before fetching; partitions it returns nothing for start at the group's committed offset, else at
 *   the earliest/latest offset per `fromBeginning`. This is how a DB sink that stores offsets in the
 *   same transaction as its rows resumes exactly once: `SinkTask.open()` returns the DB's offsets.
 * - Invariant: `onPartitionsRevoked` runs only after every in-flight `eachBatch` has settled, and no
 *   batch of the revoked partitions is delivered after it (unless they are assigned again).
 *   Revocation is reported when the next generation is joined (kafkajs has no pre-rebalance hook),
 *   so another member may already own the partitions: commits for them can fail with a rebalance
 *   error, and a sink's own offset store must be the source of truth for exactly once.
 * - `disconnect()` stops delivery, waits for in-flight batches, calls `onPartitionsRevoked(current)`
 *   and then leaves the group.
 * - Listeners and `eachBatch` never run concurrently with each other. `eachBatch` runs for one
 *   partition at a time.
 * - If `eachBatch` or a listener throws, the consumer stops delivering (the client does not retry
 *   runtime code behind the runtime's back) and `onCrash` receives that error. If the client fails
 *   on its own with an error it cannot recover from, `onCrash` receives a KAFKA_* error. Transient
 *   client failures (a broker lost for longer than the retry budget) are not reported: kafkajs
 *   rejoins by itself, logging a warning, and the rejoin goes through revoke/assign as above.
 *   After `onCrash`, call `disconnect()`; `commitOffsets` rejects from then on.
 */
export interface ConsumerRunOptions {
  /** Resolve to let the consumer move past the batch (it does not commit; call `commitOffsets`). */
  eachBatch(batch: ConsumerBatch, context: BatchContext): Promise<void>;
  onPartitionsAssigned?(partitions: TopicPartition[]): Promise<PartitionOffset[] | void>;
  onPartitionsRevoked?(partitions: TopicPartition[]): Promise<void>;
  onCrash?(error: Error): void;
}

/**
 * Call order: `connect()`, `subscribe()`, `run()`, then from handlers or outside them `commitOffsets`,
 * `seek`, `pause`, `resume`; finally `disconnect()` (safe twice). Offsets are never committed
 * automatically.
 */
export interface Consumer {
  connect(): Promise<void>;
  /** All topics at once; call before `run()`. The topics must exist. */
  subscribe(topics: string[]): Promise<void>;
  /** Resolves once the first group join has been attempted; delivery then goes on in the background. */
  run(options: ConsumerRunOptions): Promise<void>;
  /**
   * Commits positions (next offset to read). Positions for partitions outside the current
   * generation's assignment are skipped (another member owns them now and the broker would let
   * this commit overwrite its progress). A commit racing a rebalance rejects with
   * KAFKA_REQUEST_FAILED (`details.kafkaErrorType` REBALANCE_IN_PROGRESS or ILLEGAL_GENERATION).
   */
  commitOffsets(offsets: PartitionOffset[]): Promise<void>;
  /** Next fetch of this partition starts at `offset`; batches fetched before the seek are discarded. */
  seek(position: PartitionOffset): void;
  /** Stops fetching these partitions until `resume`. Survives rebalances while the partition stays assigned. */
  pause(partitions: TopicPartition[]): void;
  resume(partitions: TopicPartition[]): void;
  /** The current generation's assignment whose `onPartitionsAssigned` has completed. */
  assignment(): TopicPartition[];
  disconnect(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Admin

export interface TopicRequest {
  topic: string;
  partitions: number;
  /** -1 (the default) lets the broker choose (default.replication.factor). */
  replicationFactor?: number;
  /** Topic configs such as `retention.ms`, applied only when the topic is created. */
  configs?: Record<string, string>;
}

export interface EnsureTopicResult {
  topic: string;
  /** `created` now; `exists` with at least the partitions asked; `exists-with-fewer-partitions` (logged as a warning). */
  outcome: 'created' | 'exists' | 'exists-with-fewer-partitions';
  partitions: number;
}

export interface TopicPartitionOffsets {
  partition: number;
  /** Log start offset. */
  low: string;
  /**
   * End offset as read_committed consumers see it (the last stable offset): the offset the next
   * record gets, unless a transaction is open, then the first offset of the oldest open one.
   */
  high: string;
}

export interface CommittedOffset extends TopicPartition {
  /** The group's committed position (next offset to read), or null when it has committed none. */
  offset: string | null;
}

/** Call `connect()` first and `disconnect()` (safe twice) when done. */
export interface Admin {
  connect(): Promise<void>;
  /**
   * Idempotent: creates the missing topics; an existing topic is left as it is (configs are not
   * changed, partitions never added: that would move keys between partitions). A topic with fewer
   * partitions than asked is logged as a warning and reported, not treated as an error.
   */
  ensureTopics(topics: TopicRequest[]): Promise<EnsureTopicResult[]>;
  listTopics(): Promise<string[]>;
  fetchTopicOffsets(topic: string): Promise<TopicPartitionOffsets[]>;
  /** Every partition of `topics`, whether or not the group has committed for it. */
  fetchCommittedOffsets(groupId: string, topics: string[]): Promise<CommittedOffset[]>;
  /** Topics that do not exist are ignored, so cleanup can run twice. */
  deleteTopics(topics: string[]): Promise<void>;
  disconnect(): Promise<void>;
}
