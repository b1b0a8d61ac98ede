import { randomUUID } from 'node:crypto';
import type { KafkaClient, ProduceRecord } from '../kafka/client.ts';
import type { Logger } from '../sdk/logger.ts';

export type SourcePartition = Record<string, unknown>;
export type SourceOffset = Record<string, unknown>;

export interface OffsetEntry {
  sourcePartition: SourcePartition;
  sourceOffset: SourceOffset;
}

/** Name of the compacted topic holding every pipeline's source positions (Connect's offset.storage.topic). */
export const DEFAULT_OFFSETS_TOPIC = 'tributary-offsets';

/** The partition every position record is written to: one partition keeps a pipeline's positions in order. */
export const POSITIONS_PARTITION = 0;

/**
 * Header on every position record naming the delivery that wrote it. After a transaction whose
 * outcome is unknown (the broker went away during EndTxn), the worker reads the positions back and
 * asks whether the committed ones carry its delivery's marker: then it committed, else it did not.
 */
export const DELIVERY_HEADER = 'tributary.delivery';

/**
 * Source positions kept in a compacted Kafka topic, keyed by `[pipeline, sourcePartition]` in
 * canonical JSON (sorted keys), so the latest value per key is the committed position.
 *
 * Invariant: `load()` reads with read_committed up to the end offsets observed when it started, so a
 * position written in an aborted transaction is never resumed from.
 */
export class SourceOffsetStore {
  private readonly offsets = new Map<string, SourceOffset>();
  /** The delivery marker of the position record each key's value came from (absent for old records). */
  private readonly markers = new Map<string, string>();

  constructor(
    private readonly client: KafkaClient,
    private readonly pipeline: string,
    private readonly logger: Logger,
    readonly topic: string = DEFAULT_OFFSETS_TOPIC,
  ) {}

  async ensureTopic(): Promise<void> {
    const admin = this.client.admin();
    await admin.connect();
    try {
      await admin.ensureTopics([{ topic: this.topic, partitions: 1, configs: { 'cleanup.policy': 'compact' } }]);
    } finally {
      await admin.disconnect();
    }
  }

  /** Reads the whole offsets topic once; entries of other pipelines are skipped. */
  async load(): Promise<void> {
    const admin = this.client.admin();
    await admin.connect();
    let ends: Map<number, bigint>;
    try {
      ends = new Map((await admin.fetchTopicOffsets(this.topic)).map((p) => [p.partition, BigInt(p.high)]));
    } finally {
      await admin.disconnect();
    }
    const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
    if (pending.size === 0) return;
    // A throwaway group: the interface has no manual assignment, and nothing is ever committed for it.
    const consumer = this.client.consumer({ groupId: `tributary-offsets-reader-${randomUUID()}`, readCommitted: true, fromBeginning: true });
    await consumer.connect();
    await consumer.subscribe([this.topic]);
    const done = new Promise<void>((resolve, reject) => {
      void consumer.run({
        eachBatch: async (batch) => {
          for (const m of batch.messages) this.apply(m.key, m.value, m.headers);
          if (BigInt(batch.nextOffset) >= (ends.get(batch.partition) ?? 0n)) pending.delete(batch.partition);
          if (pending.size === 0) resolve();
        },
        onCrash: reject,
      });
    });
    try {
      await done;
    } finally {
      await consumer.disconnect();
    }
    this.logger.debug({ positions: this.offsets.size }, 'source offsets loaded');
  }

  get(sourcePartition: SourcePartition): SourceOffset | undefined {
    return this.offsets.get(this.keyOf(sourcePartition));
  }

  /**
   * The records that persist `entries`; written alone (at-least-once) or inside the batch's
   * transaction. `marker` (unique per delivery) lets `committed()` recognise them after a restart.
   */
  toRecords(entries: OffsetEntry[], marker?: string): ProduceRecord[] {
    return entries.map((e) => ({
      topic: this.topic,
      partition: POSITIONS_PARTITION,
      key: Buffer.from(this.keyOf(e.sourcePartition)),
      value: Buffer.from(JSON.stringify(e.sourceOffset)),
      ...(marker === undefined ? {} : { headers: [{ key: DELIVERY_HEADER, value: Buffer.from(marker) }] }),
    }));
  }

  /** Records the entries as committed in memory, after they are durable in Kafka. */
  remember(entries: OffsetEntry[], marker?: string): void {
    for (const e of entries) {
      const key = this.keyOf(e.sourcePartition);
      this.offsets.set(key, e.sourceOffset);
      if (marker === undefined) this.markers.delete(key);
      else this.markers.set(key, marker);
    }
  }

  /**
   * Whether the positions last loaded for every entry were written by the delivery `marker`: after
   * `load()`, true exactly when that delivery's transaction committed (positions of one delivery
   * commit or abort together, and nothing else writes this pipeline's keys while the task runs).
   */
  committed(entries: OffsetEntry[], marker: string): boolean {
    return entries.length > 0 && entries.every((e) => this.markers.get(this.keyOf(e.sourcePartition)) === marker);
  }

  /** Keys of the positions whose latest known value was written by worker `instance` (its markers are `<instance>:<n>`). */
  keysWrittenBy(instance: string): string[] {
    return [...this.markers].filter(([, m]) => m.startsWith(`${instance}:`)).map(([key]) => key);
  }

  /** Of `keys`, those whose position, as last loaded, was written by someone other than worker `instance`. */
  writtenByOthers(keys: string[], instance: string): string[] {
    return keys.filter((key) => !(this.markers.get(key)?.startsWith(`${instance}:`) ?? false));
  }

  private apply(key: Buffer | null, value: Buffer | null, headers: ReadonlyArray<{ key: string; value: Buffer | string | null }> = []): void {
    if (key === null) return;
    const text = key.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    if (!Array.isArray(parsed) || parsed[0] !== this.pipeline) return;
    const marker = headers.find((h) => h.key === DELIVERY_HEADER)?.value;
    if (marker === undefined || marker === null) this.markers.delete(text);
    else this.markers.set(text, marker.toString());
    if (value === null) this.offsets.delete(text);
    else this.offsets.set(text, JSON.parse(value.toString('utf8')) as SourceOffset);
  }

  private keyOf(sourcePartition: SourcePartition): string {
    return JSON.stringify([this.pipeline, canonical(sourcePartition)]);
  }
}

/** Same value with object keys sorted at every level, so equal partitions give equal keys. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The last entry per source partition among `records`, in first-seen order. */
export function lastOffsets(records: Array<{ sourcePartition: SourcePartition; sourceOffset: SourceOffset }>): OffsetEntry[] {
  const byKey = new Map<string, OffsetEntry>();
  for (const r of records) byKey.set(JSON.stringify(canonical(r.sourcePartition)), { sourcePartition: r.sourcePartition, sourceOffset: r.sourceOffset });
  return [...byKey.values()];
}
