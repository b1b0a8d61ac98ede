import { Buffer } from 'node:buffer';
import { Partitioners, type IHeaders, type Kafka, type Message, type Producer, type RetryOptions } from 'kafkajs';
import { TributaryError, type Clock, type Logger } from '../../src/sdk/index.ts';
import { kafkaError } from './kafka-error.ts';
import { judgeReadBack } from './read-back.ts';
import type { OutputRecord } from './record-encoder.ts';

/** The consumer position a transaction commits: the group's next offset for one input partition. */
export interface CommitPosition {
  group: string;
  topic: string;
  partition: number;
  offset: string;
}

export interface PartitionProducerOptions {
  transactionalId: string;
  transactionTimeoutMs: number;
  retry: RetryOptions;
  clock: Clock;
  logger: Logger;
  /** Reads the sink group's committed offset of this producer's input partition; null: none. */
  readCommitted: () => Promise<bigint | null>;
}

// AddOffsetsToTxn right after the previous commit answers CONCURRENT_TRANSACTIONS until the
// coordinator has written its markers (milliseconds); kafkajs does not retry it, Java does.
const SEND_OFFSETS_ATTEMPTS = 10;
const SEND_OFFSETS_BACKOFF_MS = 50;

const EMPTY = Buffer.alloc(0);

/**
 * The transactional producer of ONE input partition: everything derived from that partition's
 * records, and the partition's consumed offset, is committed in one Kafka transaction.
 *
 * Invariants:
 * - `open()` registers the transactional id (InitProducerId), which bumps its epoch: an older
 *   producer of the same id (a zombie that lost the partition) is fenced, and a transaction it left
 *   open is aborted (or, if it was committing, completed) before `open()` resolves. So offsets read
 *   after `open()` are final.
 * - Output for input below the committed offset is never produced again: a batch whose position is
 *   at or below the offset this producer committed (or resumed from) is skipped.
 * - A failed attempt has an unknown outcome (EndTxn can commit on the broker and still fail here;
 *   a Produce can be appended and its answer lost), and kafkajs's transaction state (and, after a
 *   lost Produce answer, its sequence numbers) cannot be trusted. So the next attempt first replaces
 *   the kafkajs producer (same id: InitProducerId settles the failed transaction) and reads the
 *   committed offset back (read-back.ts): the batch is produced again only if it did not commit.
 * - KAFKA_FENCED (a newer producer of the id exists), or a read-back showing that another producer
 *   has committed for the partition, is terminal: the id is never initialized again here, so the
 *   partition's new owner keeps it; only `open()` of a new assignment resumes, from the committed
 *   offsets.
 */
export class PartitionProducer {
  private fenced: TributaryError | undefined;
  /** Set by a failed attempt, to the input offset it was committing; cleared by the read-back. */
  private inDoubt: bigint | undefined;
  /**
   * The group's committed offset of the input partition as far as this producer knows: the last
   * offset it committed, or what `resumeAt()` set. undefined until `resumeAt()`; null: none.
   */
  private committed: bigint | null | undefined;
  private closed = false;

  private constructor(
    private producer: Producer,
    private readonly kafka: Kafka,
    private readonly o: PartitionProducerOptions,
  ) {}

  static async open(kafka: Kafka, o: PartitionProducerOptions): Promise<PartitionProducer> {
    return new PartitionProducer(await connectTransactional(kafka, o), kafka, o);
  }

  get transactionalId(): string {
    return this.o.transactionalId;
  }

  /** False once fenced, or while a failed attempt is unresolved: `open()` of an assignment then starts a new one. */
  get healthy(): boolean {
    return this.fenced === undefined && this.inDoubt === undefined && !this.closed;
  }

  /** The committed offset read after `open()` (null: none); required before the first `commit()`. */
  resumeAt(offset: bigint | null): void {
    this.committed = offset;
  }

  /**
   * Sends `records` and commits `position` in one transaction, exactly once: after a failure the
   * call can be repeated with the same arguments (the runtime's retry does), and the repeat
   * produces the records only if the failed attempt did not commit them.
   */
  async commit(records: OutputRecord[], position: CommitPosition): Promise<void> {
    if (this.fenced !== undefined) throw this.fenced;
    if (this.closed) throw new TributaryError('INTERNAL', `committing with ${this.o.transactionalId}: the producer is closed`);
    if (this.committed === undefined) throw new TributaryError('INTERNAL', `committing with ${this.o.transactionalId} before resumeAt()`);
    const end = BigInt(position.offset);
    if (this.inDoubt !== undefined) await this.recover(position, this.inDoubt);
    if (this.committed !== null && end <= this.committed) {
      this.o.logger.info({ topic: position.topic, partition: position.partition, offset: position.offset }, 'the batch is already committed; not producing it again');
      return;
    }
    // Set before the first request: from here on a failure leaves the outcome unknown.
    this.inDoubt = end;
    try {
      await this.transact(records, position);
    } catch (err) {
      const failure = kafkaError(err, `committing the transaction of ${position.topic}[${position.partition}] (${this.o.transactionalId})`);
      // Anything but fencing is retried by the runtime (when retriable), through recover().
      if (failure.code === 'KAFKA_FENCED') {
        this.inDoubt = undefined;
        this.fenced = failure;
      }
      throw failure;
    }
    this.inDoubt = undefined;
    this.committed = end;
  }

  /** Disconnects; safe twice. An open transaction is left to the broker's timeout or the next owner's init. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.producer.disconnect();
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message, transactionalId: this.o.transactionalId }, 'disconnecting a transactional producer failed');
    }
  }

  /** One attempt; no abort on failure: the next attempt's InitProducerId settles the transaction. */
  private async transact(records: OutputRecord[], position: CommitPosition): Promise<void> {
    let step = 'beginning';
    try {
      const txn = await this.producer.transaction();
      step = 'producing';
      if (records.length > 0) await txn.sendBatch({ acks: -1, topicMessages: byTopic(records) });
      step = 'adding offsets to';
      await this.sendOffsets(() =>
        txn.sendOffsets({
          consumerGroupId: position.group,
          topics: [{ topic: position.topic, partitions: [{ partition: position.partition, offset: position.offset }] }],
        }),
      );
      step = 'committing';
      await txn.commit();
    } catch (err) {
      throw kafkaError(err, `${step} the transaction of ${position.topic}[${position.partition}] (${this.o.transactionalId})`);
    }
  }

  /**
   * After a failed attempt that was committing `attempted`: replaces the kafkajs producer (settling
   * the failed transaction), then learns from the committed offset whether it committed. A failure
   * here leaves the attempt in doubt, so the next call starts over (initializing the id again is
   * harmless: this producer owns it).
   */
  private async recover(position: CommitPosition, attempted: bigint): Promise<void> {
    const known = this.committed ?? null;
    // Read once before initializing the id: if another member has already committed for the
    // partition, this one lost it, and initializing the id would fence that member. (Before the
    // init only `moved` is conclusive: the failed transaction may still be completing.)
    const early = await this.o.readCommitted();
    if (judgeReadBack({ known, attempted, readBack: early }) === 'moved') this.stopMoved(position, known, attempted, early);
    const old = this.producer;
    await old.disconnect().catch(() => undefined);
    this.producer = await connectTransactional(this.kafka, this.o);
    const readBack = await this.o.readCommitted();
    const verdict = judgeReadBack({ known, attempted, readBack });
    if (verdict === 'moved') this.stopMoved(position, known, attempted, readBack);
    this.inDoubt = undefined;
    this.committed = readBack;
    const details = { topic: position.topic, partition: position.partition, known: show(known), attempted: attempted.toString(), readBack: show(readBack) };
    if (verdict === 'committed') this.o.logger.info(details, 'the failed transaction had committed; not producing it again');
    else this.o.logger.info(details, 'the failed transaction did not commit; producing the batch again');
  }

  /** Another member has committed for the partition: terminal, like KAFKA_FENCED. */
  private stopMoved(position: CommitPosition, known: bigint | null, attempted: bigint, readBack: bigint | null): never {
    this.inDoubt = undefined;
    this.fenced = new TributaryError(
      'KAFKA_FENCED',
      `recovering the transaction of ${position.topic}[${position.partition}] (${this.o.transactionalId}): the group's committed offset is ${show(readBack)}, but this producer committed ${show(known)} and was committing ${attempted}; another member has committed for this partition since, so it stops writing it`,
      { details: { topic: position.topic, partition: position.partition, known: show(known), attempted: attempted.toString(), readBack: show(readBack) } },
    );
    throw this.fenced;
  }

  private async sendOffsets(send: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await send();
        return;
      } catch (err) {
        const e = kafkaError(err, 'adding offsets');
        if (!e.retriable || e.code !== 'KAFKA_REQUEST_FAILED' || attempt >= SEND_OFFSETS_ATTEMPTS) throw err;
        await this.o.clock.sleep(SEND_OFFSETS_BACKOFF_MS * attempt);
      }
    }
  }
}

/**
 * A connected kafkajs producer with the id registered (Java's initTransactions()): InitProducerId
 * bumps the id's epoch, fencing older producers of it and settling their open transaction.
 */
async function connectTransactional(kafka: Kafka, o: PartitionProducerOptions): Promise<Producer> {
  const producer = kafka.producer({
    transactionalId: o.transactionalId,
    transactionTimeout: o.transactionTimeoutMs,
    idempotent: true,
    // kafkajs keeps an idempotent producer's order only with one request in flight.
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // kafkajs 2's default: murmur2 of the key modulo all partitions, as the Java client does.
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: o.retry,
  });
  try {
    await producer.connect();
    // kafkajs registers the id in its first transaction(); an empty transaction then ends without
    // a request.
    const init = await producer.transaction();
    await init.abort();
  } catch (err) {
    await producer.disconnect().catch(() => undefined);
    throw kafkaError(err, `initializing transactional id ${o.transactionalId}`);
  }
  return producer;
}

function show(offset: bigint | null): string {
  return offset === null ? 'none' : offset.toString();
}

function byTopic(records: readonly OutputRecord[]): Array<{ topic: string; messages: Message[] }> {
  const topics = new Map<string, Message[]>();
  for (const r of records) {
    const message: Message = { key: r.key, value: r.value, timestamp: String(r.timestamp) };
    if (r.partition !== undefined) message.partition = r.partition;
    if (r.headers.length > 0) message.headers = toHeaders(r.headers);
    const list = topics.get(r.topic) ?? [];
    list.push(message);
    topics.set(r.topic, list);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

/** kafkajs's header map; a key that repeats becomes an array, in order. kafkajs cannot encode null values: empty instead. */
function toHeaders(headers: OutputRecord['headers']): IHeaders {
  const out: IHeaders = Object.create(null) as IHeaders;
  for (const { key, value } of headers) {
    const v = value ?? EMPTY;
    const existing = out[key];
    if (existing === undefined) out[key] = v;
    else if (Array.isArray(existing)) existing.push(v);
    else out[key] = [existing, v];
  }
  return out;
}
