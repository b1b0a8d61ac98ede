import { TributaryError, type Schema, type SourceRecord, type SourceTask, type SourceTaskContext } from '../../src/sdk/index.ts';
import { resolveDatagenConfig, type DatagenConfig, type DatagenKind } from './config.ts';
import { ordersShape } from './orders.ts';
import { Pacer } from './pacer.ts';
import type { Shape } from './shape.ts';
import { usersShape } from './users.ts';

const shapes: Record<DatagenKind, Shape> = { users: usersShape, orders: ordersShape };

const KEY_SCHEMA: Schema = { type: 'string' };

/** Ids start at 1; the offset after record `id` is `{ seq: id + 1 }`, i.e. the next id to generate. */
const FIRST_ID = 1;

/**
 * Generates records 1, 2, 3, ... of one shape. Invariant: a record is a pure function of
 * (seed, kind, id), and the stored offset is the next id, so resuming after any crash regenerates
 * exactly the records that were not yet committed, byte for byte.
 */
export class DatagenSourceTask implements SourceTask {
  private readonly ctx: SourceTaskContext<DatagenConfig>;
  private readonly config: Required<DatagenConfig>;
  private readonly shape: Shape;
  private readonly sourcePartition: Record<string, unknown>;
  private readonly pacer: Pacer | undefined;
  private nextId = FIRST_ID;

  constructor(ctx: SourceTaskContext<DatagenConfig>) {
    this.ctx = ctx;
    this.config = resolveDatagenConfig(ctx.config);
    this.shape = shapes[this.config.kind];
    // Frozen: every record shares this object, so nothing downstream may change it under the others.
    this.sourcePartition = Object.freeze({ datagen: this.config.stream === '' ? ctx.pipeline : this.config.stream });
    this.pacer = this.config.rate === null ? undefined : new Pacer(ctx.clock, this.config.rate);
  }

  async start(): Promise<void> {
    const committed = this.ctx.committedOffset(this.sourcePartition);
    if (committed === undefined) return;
    const seq = committed.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < FIRST_ID) {
      throw new TributaryError('SOURCE_FAILED', `resuming datagen: committed offset ${JSON.stringify(committed)} has no valid seq (want an integer >= ${FIRST_ID})`, {
        retriable: false,
        details: { sourcePartition: this.sourcePartition },
      });
    }
    this.nextId = seq;
    this.ctx.logger.info({ sourcePartition: this.sourcePartition, nextId: seq }, 'resuming datagen from committed offset');
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[] | null> {
    if (signal.aborted) return [];
    const remaining = this.config.count === null ? Infinity : this.config.count - (this.nextId - FIRST_ID);
    if (remaining <= 0) return null;
    let n = Math.min(this.config.batchSize, remaining);
    if (this.pacer !== undefined) {
      n = await this.pacer.acquire(n, signal);
      if (n === 0) return [];
    }
    const now = this.ctx.clock.now();
    const records: SourceRecord[] = [];
    for (let i = 0; i < n; i++) records.push(this.recordFor(this.nextId + i, now));
    this.nextId += n;
    return records;
  }

  async stop(): Promise<void> {
    // Nothing to release: the generator holds no connections or handles.
  }

  private recordFor(id: number, now: number): SourceRecord {
    const keyed = this.config.keyed;
    return {
      // '' asks the runtime for the pipeline's topic.name.
      topic: this.config.topic,
      key: keyed ? String(id) : null,
      ...(keyed ? { keySchema: KEY_SCHEMA } : {}),
      value: this.shape.generate(id, this.config),
      valueSchema: this.shape.valueSchema,
      // The Kafka timestamp is the production time (so retention behaves); the data's own
      // timestamps (created_at, ts) are the deterministic ones.
      timestamp: now,
      headers: [],
      sourcePartition: this.sourcePartition,
      sourceOffset: { seq: id + 1 },
    };
  }
}
