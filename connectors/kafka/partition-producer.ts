import { Buffer } from 'node:buffer';
import { Partitioners, type IHeaders, type Kafka, type Message, type Producer, type RetryOptions } from 'kafkajs';
import { TributaryError, type Clock, type Logger } from '../../src/sdk/index.ts';
import { kafkaError } from './kafka-error.ts';
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
 * - After KAFKA_FENCED, or a failure that leaves the transaction's outcome unknown, the producer is
 *   broken for good: it is never re-initialized here (that would fence the partition's new owner);
 *   only a new assignment (`open()` of a new instance) resumes, from the committed offsets.
 */
export class PartitionProducer {
  private broken: TributaryError | undefined;
  private closed = false;

  private constructor(
    private readonly producer: Producer,
    private readonly o: PartitionProducerOptions,
  ) {}

  static async open(kafka: Kafka, o: PartitionProducerOptions): Promise<PartitionProducer> {
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
      // Java's initTransactions(): kafkajs registers the id in its first transaction(); an empty
      // transaction then ends without a request.
      const init = await producer.transaction();
      await init.abort();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw kafkaError(err, `initializing transactional id ${o.transactionalId}`);
    }
    return new PartitionProducer(producer, o);
  }

  get transactionalId(): string {
    return this.o.transactionalId;
  }

  /**
   * Sends `records` and commits `position` in one transaction. On a retriable failure the
   * transaction is aborted and the call can be repeated with the same arguments.
   */
  async commit(records: OutputRecord[], position: CommitPosition): Promise<void> {
    if (this.broken !== undefined) throw this.broken;
    if (this.closed) throw new TributaryError('INTERNAL', `committing with ${this.o.transactionalId}: the producer is closed`);
    let txn;
    try {
      txn = await this.producer.transaction();
    } catch (err) {
      throw this.fail(kafkaError(err, `beginning a transaction (${this.o.transactionalId})`));
    }
    let step = 'producing';
    try {
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
      const failure = kafkaError(err, `${step} the transaction of ${position.topic}[${position.partition}] (${this.o.transactionalId})`);
      // A failed commit may or may not have reached the coordinator: the outcome is unknown.
      if (failure.code === 'KAFKA_FENCED' || step === 'committing') throw this.fail(failure);
      try {
        await txn.abort();
      } catch (abortErr) {
        throw this.fail(kafkaError(abortErr, `aborting after ${failure.message}`));
      }
      throw failure;
    }
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

  /** Marks the producer unusable for good; returns the error to throw (non-retriable, so the task stops). */
  private fail(err: TributaryError): TributaryError {
    this.broken =
      err.code === 'KAFKA_FENCED'
        ? err
        : new TributaryError('SINK_FAILED', `${err.message}; the transaction's outcome is unknown, so this partition stops here and resumes from its committed offset when reassigned (restart the pipeline)`, {
            cause: err,
            retriable: false,
            details: err.details,
          });
    return this.broken;
  }
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
