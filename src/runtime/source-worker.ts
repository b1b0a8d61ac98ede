import { randomUUID } from 'node:crypto';
import type { KafkaClient, ProduceRecord, ProduceResult, Producer } from '../kafka/client.ts';
import type { Clock } from '../sdk/clock.ts';
import { TributaryError, isRetriable } from '../sdk/errors.ts';
import type { Logger } from '../sdk/logger.ts';
import type { SourceRecord } from '../sdk/record.ts';
import type { SourceTask } from '../sdk/source.ts';
import type { DeadLetterReporter } from './dead-letter.ts';
import type { RecordCodec } from './record-codec.ts';
import { withRetry, type RetryPolicy } from './retry.ts';
import { lastOffsets, POSITIONS_PARTITION, type OffsetEntry, type SourceOffsetStore } from './source-offsets.ts';
import type { TopicEnsurer } from './topic-ensurer.ts';
import { compileTopicTemplate, type TopicResolver } from './topic-template.ts';

/** The part of the transform chain the worker needs (see transform-chain.ts). */
export interface RecordTransformer {
  apply<R extends SourceRecord>(record: R): R | null | Promise<R | null>;
}

export interface SourceWorkerOptions {
  pipeline: string;
  task: SourceTask;
  transforms: RecordTransformer;
  codec: RecordCodec;
  client: KafkaClient;
  offsets: SourceOffsetStore;
  deadLetters: DeadLetterReporter;
  topics: TopicEnsurer;
  /** Topic for records whose source leaves `topic` empty; may hold `${field}` placeholders. */
  defaultTopic: string;
  /**
   * exactly-once: records and source positions go in one Kafka transaction per delivery, under a
   * transactional id derived from pipeline + task, so a second copy of the task fences the first.
   * at-least-once: records are acknowledged first, positions written after, so a crash between the
   * two re-sends records on restart.
   */
  delivery: 'exactly-once' | 'at-least-once';
  taskId: number;
  /** A delivery is flushed once it holds this many serialized bytes (bounds memory to ~2x this). */
  maxBatchBytes: number;
  retry: RetryPolicy;
  logger: Logger;
  clock: Clock;
  /** Sleep between polls that returned nothing, so an idle task cannot spin. */
  idleBackoffMs?: number;
}

interface Delivery {
  records: ProduceRecord[];
  /** Dead letters of this delivery's failed records; exactly-once, they share its transaction. */
  letters: ProduceRecord[];
  /**
   * The positions of the records polled into this delivery, a run of consecutive records with the
   * same `sourcePartition` object kept as its last one, so `lastOffsets` of this equals that of all
   * of them. Not the records themselves: holding every polled record (and its value) until the
   * delivery commits kept them alive through garbage collections.
   */
  offsets: OffsetEntry[];
  bytes: number;
}

export interface SourceProgress {
  polled: number;
  produced: number;
  deadLettered: number;
  dropped: number;
  exhausted: boolean;
}

/**
 * Runs one SourceTask: poll -> transforms -> serialize -> produce, with source positions committed
 * after (or, exactly-once, atomically with) the records.
 *
 * Pipelining: while one delivery is in flight the worker keeps polling and preparing the next one;
 * it waits only when the next delivery is full (`maxBatchBytes`). The next delivery is sent as soon
 * as the one in flight completes, so several poll batches (several source transactions) share a
 * delivery when the source is faster than Kafka. Invariant: deliveries complete in poll order, and
 * a poll batch is never split across deliveries, so positions only move forward and a source
 * transaction returned in one poll is committed atomically.
 */
export class SourceWorker {
  readonly progress: SourceProgress = { polled: 0, produced: 0, deadLettered: 0, dropped: 0, exhausted: false };
  private producer: Producer | undefined;
  private readonly defaultTopic: TopicResolver;
  private readonly lastStarts = new Map<string, { topic: string; partition: number; offset: bigint }>();
  /** Marks this worker's position records (see DELIVERY_HEADER): unique per worker, then per delivery. */
  private readonly instance = randomUUID();
  private deliveries = 0;
  /**
   * Set when a transaction failed: the producer may be stuck mid-commit, and the failed
   * transaction may have committed after all. The next attempt first replaces the producer (which
   * settles that transaction: completes a prepared commit, aborts the rest) and reads back what
   * committed, so a retry never writes a committed delivery twice.
   */
  private producerSuspect = false;
  /**
   * Set when the last failed attempt had sent every record and its positions and only the commit
   * failed: where its records and its position record landed. See `leftOpenByKafka`. Always the
   * current delivery's: a delivery is retried until it succeeds or the worker stops.
   */
  private inDoubt: { results: ProduceResult[]; positionOffset: bigint } | undefined;

  constructor(private readonly o: SourceWorkerOptions) {
    this.defaultTopic = compileTopicTemplate(o.defaultTopic);
  }

  get transactionalId(): string {
    return `tributary-${this.o.pipeline}-source-${this.o.taskId}`;
  }

  /** Resolves when the source is exhausted or `signal` aborts, after everything polled is delivered. */
  async run(signal: AbortSignal): Promise<SourceProgress> {
    const { task, logger, clock } = this.o;
    // A broker that is restarting when the task starts is waited for, like one that goes away later.
    await withRetry('connecting the source producer', () => this.openProducer(), { policy: this.o.retry, clock, logger, signal });
    await task.start();
    let inFlight: Promise<void> | undefined;
    let inFlightDone = true;
    let inFlightError: unknown;
    let next: Delivery = { records: [], letters: [], offsets: [], bytes: 0 };
    // While a poll batch is being added to `next` (or adding it failed), `next` must not be sent:
    // a poll batch is never split across deliveries.
    let preparing = false;
    // Set once run() is leaving: nothing new is sent after that.
    let stopping = false;
    /**
     * Sends `next` if nothing is in flight. Also called when a delivery completes, so what was
     * prepared meanwhile goes out at once rather than when the next poll returns (which can take
     * the source's whole poll timeout when it has nothing more).
     */
    const launchNext = (): void => {
      if (!inFlightDone || preparing || stopping || inFlightError !== undefined || next.offsets.length === 0) return;
      const delivery = next;
      next = { records: [], letters: [], offsets: [], bytes: 0 };
      inFlightDone = false;
      inFlight = this.deliver(delivery).then(
        () => {
          inFlightDone = true;
          launchNext();
        },
        (err: unknown) => {
          inFlightDone = true;
          inFlightError = err;
        },
      );
    };
    try {
      while (!signal.aborted) {
        if (inFlightError !== undefined) throw inFlightError;
        let batch: SourceRecord[] | null;
        try {
          batch = await withRetry('polling the source', () => task.poll(signal), { policy: this.o.retry, clock, logger, signal });
        } catch (err) {
          if (signal.aborted) break;
          throw err;
        }
        if (batch === null) {
          this.progress.exhausted = true;
          break;
        }
        if (batch.length === 0) {
          launchNext();
          await clock.sleep(this.o.idleBackoffMs ?? 20, signal).catch(() => undefined);
          continue;
        }
        this.progress.polled += batch.length;
        preparing = true;
        await this.prepare(batch, next);
        preparing = false;
        // Full: wait for the delivery in flight; its completion sends `next`.
        if (next.bytes >= this.o.maxBatchBytes && !inFlightDone) await inFlight;
        if (inFlightError !== undefined) throw inFlightError;
        launchNext();
      }
      // Everything polled is delivered before returning.
      for (;;) {
        if (inFlightError !== undefined) throw inFlightError;
        if (!inFlightDone) await inFlight;
        else if (next.offsets.length > 0) launchNext();
        else break;
      }
      return this.progress;
    } finally {
      stopping = true;
      await inFlight;
      await task.stop();
      await this.producer?.disconnect();
      await this.o.deadLetters.close();
    }
  }

  /**
   * (Re)creates and connects the producer. Exactly-once: connect() fences any older copy of this
   * task and settles its open transaction, and only then are positions (re)read. Invariant: read
   * before, they can miss what that copy committed meanwhile, and this copy would produce those
   * records again.
   */
  private async openProducer(): Promise<void> {
    const old = this.producer;
    this.producer = undefined;
    await old?.disconnect().catch(() => undefined);
    const producer =
      this.o.delivery === 'exactly-once'
        ? this.o.client.producer({ transactionalId: this.transactionalId })
        : this.o.client.producer({ idempotent: true });
    try {
      await producer.connect();
      await this.o.offsets.load();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
    this.producer = producer;
  }

  /**
   * Where the last delivery's records start in each partition it wrote. Once a partition's
   * (last stable) end offset is past that start, the delivery is readable there: for exactly-once
   * this means the commit markers are written, which Kafka does after answering EndTxn.
   */
  lastDeliveryStarts(): Array<{ topic: string; partition: number; offset: bigint }> {
    return [...this.lastStarts.values()];
  }

  private noteLastDelivery(results: Array<{ topic: string; partition: number; baseOffset: string }>): void {
    // A delivery of positions only (every record filtered) leaves the previous starts in place.
    if (results.length === 0) return;
    this.lastStarts.clear();
    for (const r of results) {
      const key = `${r.topic}:${r.partition}`;
      const offset = BigInt(r.baseOffset);
      const seen = this.lastStarts.get(key);
      if (seen === undefined || offset < seen.offset) this.lastStarts.set(key, { topic: r.topic, partition: r.partition, offset });
    }
  }

  /** Transforms and serializes `batch` into `into`. Failed records go to dead letters; their positions still advance. */
  private async prepare(batch: SourceRecord[], into: Delivery): Promise<void> {
    for (const raw of batch) {
      const tail = into.offsets[into.offsets.length - 1];
      if (tail !== undefined && tail.sourcePartition === raw.sourcePartition) tail.sourceOffset = raw.sourceOffset;
      else into.offsets.push({ sourcePartition: raw.sourcePartition, sourceOffset: raw.sourceOffset });
      let input = raw;
      let record: SourceRecord | null;
      try {
        if (!raw.topic) input = { ...raw, topic: this.defaultTopic(raw) };
        record = await this.o.transforms.apply(input);
      } catch (err) {
        await this.deadLetter('source.transform', err, input, into);
        continue;
      }
      if (record === null) {
        this.progress.dropped++;
        continue;
      }
      const ready = record;
      try {
        // A retriable failure (a schema registry outage) says nothing about the record: retry it,
        // and if it outlasts the retry budget stop the pipeline rather than dead-letter good data.
        const { retry, clock, logger } = this.o;
        const encoded = await withRetry('serializing a record', () => this.o.codec.encode(ready), { policy: retry, clock, logger });
        into.records.push(encoded);
        into.bytes += recordBytes(encoded);
      } catch (err) {
        if (isRetriable(err)) throw err;
        await this.deadLetter('source.serialize', err, record, into);
      }
    }
  }

  /**
   * Exactly-once, the dead letter joins the delivery (written in its transaction, so a crash neither
   * loses it nor writes it twice); at-least-once, it is sent at once.
   */
  private async deadLetter(stage: 'source.transform' | 'source.serialize', err: unknown, record: SourceRecord, into: Delivery): Promise<void> {
    this.progress.deadLettered++;
    const failure = { stage, error: err, key: bestEffortBytes(record.key), value: bestEffortBytes(record.value), headers: record.headers };
    if (this.o.delivery !== 'exactly-once') {
      await this.o.deadLetters.report(failure);
      return;
    }
    const letter = this.o.deadLetters.letter(failure);
    if (letter === undefined) return;
    into.letters.push(letter);
    into.bytes += recordBytes(letter);
  }

  private async deliver(d: Delivery): Promise<void> {
    if (this.producer === undefined) throw new TributaryError('INTERNAL', 'delivering before the producer was created');
    const entries: OffsetEntry[] = lastOffsets(d.offsets);
    const { retry, clock, logger } = this.o;
    await withRetry('creating topics', () => this.o.topics.ensure(d.records.map((r) => r.topic)), { policy: retry, clock, logger });
    if (this.o.delivery === 'exactly-once') {
      const marker = `${this.instance}:${++this.deliveries}`;
      const positionRecords = this.o.offsets.toRecords(entries, marker);
      await withRetry('committing a source transaction', () => this.transact(d, entries, positionRecords, marker), { policy: retry, clock, logger });
      this.o.offsets.remember(entries, marker);
    } else {
      const producer = this.producer;
      const positionRecords = this.o.offsets.toRecords(entries);
      const results: ProduceResult[] = [];
      for (const chunk of chunksOf(d.records, this.o.maxBatchBytes)) results.push(...(await withRetry('producing records', () => producer.send(chunk), { policy: retry, clock, logger })));
      this.noteLastDelivery(results);
      await withRetry('writing source positions', () => producer.send(positionRecords), { policy: retry, clock, logger });
      this.o.offsets.remember(entries);
    }
    this.progress.produced += d.records.length;
    await this.o.task.commit?.(entries);
  }

  /**
   * Before a retry replaces the producer: stops this copy if another copy of the task has committed
   * positions that this copy wrote last. A retriable failure can be the first sign of being fenced
   * (a newer copy started and aborted this copy's transaction); re-initialising the transactional id
   * then would fence the newer copy in turn, and the zombie would write again. Positions are read
   * without a producer, so nothing is fenced by the check itself.
   */
  private async refuseIfTakenOver(): Promise<void> {
    if (this.o.delivery !== 'exactly-once') return;
    const mine = this.o.offsets.keysWrittenBy(this.instance);
    if (mine.length === 0) return;
    await this.o.offsets.load();
    if (this.o.offsets.writtenByOthers(mine, this.instance).length === 0) return;
    throw new TributaryError(
      'KAFKA_FENCED',
      `source task ${this.transactionalId}: another copy of this task has committed positions since this copy last did; this copy stops so that only one copy writes`,
      { retriable: false },
    );
  }

  /**
   * After a commit that failed once everything was sent, and a new producer whose positions do not
   * show the delivery: did Kafka leave its records open instead of aborting them?
   *
   * Apache Kafka can lose a transaction's markers: a restarted single-node broker whose partitions
   * have no leader yet takes them for deleted topics, skips their markers, and completes the
   * transaction anyway. Its records then stay open, holding the last stable offset at the first of
   * them, until this producer id's next marker on that partition settles them, as a commit if the
   * next transaction commits. Sending the delivery again would publish it twice. The delivery is
   * whole (every send was acknowledged), so letting the next commit publish it is exactly once.
   *
   * Decided by the positions partition's last stable offset: past the position record, the
   * transaction was settled (aborted, as the positions show), so it is sent again; stuck exactly at
   * it, the oldest open record there is ours, and InitProducerId has already settled everything the
   * coordinator knew, so it is left open for good. Below it, another producer's transaction may
   * hold the offset back: wait for it to move, and if it never settles the question, send again
   * (the behaviour without this check).
   */
  private async leftOpenByKafka(positionOffset: bigint): Promise<boolean> {
    const { clock } = this.o;
    const deadline = clock.now() + 15_000;
    let atOursSince: number | undefined;
    const admin = this.o.client.admin();
    await admin.connect();
    try {
      while (clock.now() < deadline) {
        const lso = BigInt((await admin.fetchTopicOffsets(this.o.offsets.topic)).find((p) => p.partition === POSITIONS_PARTITION)?.high ?? '0');
        if (lso > positionOffset) return false;
        if (lso === positionOffset) {
          atOursSince ??= clock.now();
          if (clock.now() - atOursSince >= 1_000) return true;
        } else {
          atOursSince = undefined;
        }
        await clock.sleep(250);
      }
      return false;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * One attempt at delivering `d` in a transaction. Invariant: a delivery is written at most once.
   * After a failed attempt its outcome is unknown (a commit can succeed on the broker and still fail
   * here), so the next attempt replaces the producer, re-reads the committed positions, and sends
   * only if they do not carry this delivery's marker.
   */
  private async transact(d: Delivery, entries: OffsetEntry[], positionRecords: ProduceRecord[], marker: string): Promise<void> {
    if (this.producerSuspect) {
      await this.refuseIfTakenOver();
      await this.openProducer();
      this.producerSuspect = false;
      const doubt = this.inDoubt;
      this.inDoubt = undefined;
      if (this.o.offsets.committed(entries, marker)) {
        this.o.logger.info({ delivery: marker, records: d.records.length }, 'the failed transaction had committed; not sending it again');
        return;
      }
      if (doubt !== undefined && (await this.leftOpenByKafka(doubt.positionOffset))) {
        this.noteLastDelivery(doubt.results);
        this.o.logger.warn(
          { delivery: marker, records: d.records.length, positionOffset: doubt.positionOffset.toString() },
          'Kafka completed the failed transaction without writing its markers; its records stay open until this task commits again, which publishes them, so they are not sent again',
        );
        return;
      }
    }
    const producer = this.producer;
    if (producer === undefined) throw new TributaryError('INTERNAL', 'delivering before the producer was created');
    const tx = await producer.transaction().catch((err: unknown) => {
      this.producerSuspect = true;
      throw err;
    });
    let sent: { results: ProduceResult[]; positionOffset: bigint } | undefined;
    try {
      const results: ProduceResult[] = [];
      for (const chunk of chunksOf(d.records, this.o.maxBatchBytes)) results.push(...(await tx.send(chunk)));
      for (const chunk of chunksOf(d.letters, this.o.maxBatchBytes)) await tx.send(chunk);
      const positionAt = (await tx.send(positionRecords)).find((r) => r.topic === this.o.offsets.topic);
      if (positionAt !== undefined) sent = { results, positionOffset: BigInt(positionAt.baseOffset) };
      await tx.commit();
      this.noteLastDelivery(results);
    } catch (err) {
      this.producerSuspect = true;
      this.inDoubt = sent;
      await tx.abort().catch(() => undefined);
      throw err;
    }
  }
}

/**
 * Splits a delivery into sends of at most `maxBytes` (estimated), so no produce request carries a
 * record batch over the broker's message.max.bytes, however large one poll batch was. The sends of
 * one delivery still share its transaction. A single record larger than `maxBytes` goes alone.
 */
export function chunksOf(records: ProduceRecord[], maxBytes: number): ProduceRecord[][] {
  const chunks: ProduceRecord[][] = [];
  let current: ProduceRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = recordBytes(r);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function recordBytes(r: ProduceRecord): number {
  return (r.key?.length ?? 0) + (r.value?.length ?? 0) + headerBytes(r) + 64;
}

/** Header keys and values count against Kafka's batch size limit like keys and values do. */
function headerBytes(record: ProduceRecord): number {
  let n = 0;
  for (const h of record.headers ?? []) n += h.key.length + (h.value === null ? 0 : typeof h.value === 'string' ? Buffer.byteLength(h.value) : h.value.length);
  return n;
}

/** Raw-ish bytes of a value that failed before serialization, for the dead letter's payload. */
function bestEffortBytes(v: unknown): Buffer | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v);
  try {
    return Buffer.from(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)));
  } catch {
    return Buffer.from(String(v));
  }
}
