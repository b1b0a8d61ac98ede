import pg from 'pg';
import type { PoolClient } from 'pg';
import {
  TributaryError,
  errorMessage,
  type PartitionOffset,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
  type TopicPartition,
} from '../../src/sdk/index.ts';
import { describeTarget, resolvePostgresSinkConfig, type PostgresSinkConfig } from './config.ts';
import { withDdlLock } from './ddl-lock.ts';
import { quoteIdent, tableForTopic } from './identifier.ts';
import { OffsetStore } from './offset-store.ts';
import { failureKind, sinkError } from './pg-error.ts';
import { mapRecords, type MappingOptions, type Refusal } from './record-mapper.ts';
import { createRowWriter, type RowWriter } from './row-writer.ts';
import { TableCatalog } from './table-catalog.ts';
import { WritePlanner, type TablePlan } from './write-planner.ts';

type Claimed = PartitionOffset & { epoch: string };

/** First and longest wait between attempts to read positions in `open()`. */
const OPEN_BACKOFF_MS = { first: 200, max: 5000 };

/**
 * Writes records to PostgreSQL tables, exactly once: every `put()` is ONE transaction that applies
 * the batch's rows and moves the batch's partitions' positions in the offsets table (offset-store.ts),
 * and `open()` returns those positions so the consumer resumes exactly after the last committed
 * batch, whatever Kafka's own committed offsets say.
 *
 * Order inside `put()`: map records to row operations (refusing malformed ones before any I/O), get
 * the tables ready (DDL in its own transactions), then BEGIN; advance positions (fencing zombies);
 * write rows; COMMIT. Any failure rolls back both rows and positions.
 *
 * Each task owns a connection pool; puts of one task never overlap (the SinkTask contract), so the
 * pool mostly reuses one connection and replaces it after a connection failure.
 */
export class PostgresSinkTask implements SinkTask {
  private readonly config: PostgresSinkConfig;
  private readonly logger: SinkTaskContext['logger'];
  private readonly catalog: TableCatalog;
  private readonly planner: WritePlanner;
  private readonly writer: RowWriter;
  private readonly offsets: OffsetStore;
  private readonly mapping: MappingOptions;
  private readonly tables = new Map<string, string>();
  /** Epoch of each partition this task claimed in `open()`, by partitionKey(). */
  private readonly epochs = new Map<string, string>();
  /** Partitions another worker claimed since: their batches are left to it until they are opened again. */
  private readonly fenced = new Set<string>();
  private pool: pg.Pool | undefined;
  private stopped = false;

  constructor(private readonly ctx: SinkTaskContext<PostgresSinkConfig>) {
    this.config = resolvePostgresSinkConfig(ctx.config);
    this.logger = ctx.logger;
    this.catalog = new TableCatalog(this.config.schema, ctx.logger);
    this.planner = new WritePlanner(this.catalog, this.config);
    this.writer = createRowWriter(this.config.writeMethod);
    this.offsets = new OffsetStore(this.config.schema, this.config.offsetsTable, ctx.group);
    this.mapping = {
      format: this.config.format,
      primaryKey: this.config.primaryKey,
      deletes: this.config.deletes,
      tombstones: this.config.tombstones,
      nulInText: this.config.nulInText,
      tableFor: (topic) => this.tableFor(topic),
    };
  }

  /** Connects once (so a wrong password or database fails the start, not the first batch) and creates the offsets table. */
  async start(): Promise<void> {
    const c = this.config;
    this.pool = new pg.Pool({
      ...(c.url !== '' ? { connectionString: c.url } : { host: c.host, port: c.port, database: c.database, user: c.user, password: c.password, ssl: c.ssl }),
      max: c.poolSize,
      connectionTimeoutMillis: c.connectTimeoutMs,
      idleTimeoutMillis: c.idleTimeoutMs,
      ...(c.statementTimeoutMs > 0 ? { statement_timeout: c.statementTimeoutMs } : {}),
      // The pid first, so it survives the server's 63-byte cut: it maps sessions to processes.
      application_name: `tributary[${process.pid}] ${this.ctx.pipeline}/${this.ctx.sinkName}#${this.ctx.workerId}`.slice(0, 63),
    });
    // An idle connection the server drops emits here; unhandled, it would crash the process.
    this.pool.on('error', (err) => this.logger.warn({ err: errorMessage(err) }, 'idle PostgreSQL connection failed; it will be replaced'));
    this.logger.info(
      { target: describeTarget(c), schema: c.schema, table: c.table, mode: c.mode, writeMethod: c.writeMethod, offsets: c.storeOffsets ? `${c.schema}.${c.offsetsTable}` : 'kafka only (at-least-once)' },
      'postgres sink starting',
    );
    await this.withClient('preparing the offsets table', async (client) => {
      if (c.autoCreate) {
        await withDdlLock(client, `schema:${c.schema}`, async () => {
          const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [c.schema]);
          if (found.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(c.schema)}`);
        });
      }
      if (c.storeOffsets) await withDdlLock(client, `${c.schema}.${c.offsetsTable}`, async () => client.query(this.offsets.createTableSql()));
    });
  }

  /**
   * Claims the partitions in the offsets table and returns their stored positions (none for a
   * partition never written). Transient failures are retried here for `openRetryTimeoutMs`, since
   * the runtime does not retry partition assignment.
   */
  async open(partitions: TopicPartition[]): Promise<PartitionOffset[] | void> {
    this.assertRunning();
    if (!this.config.storeOffsets || partitions.length === 0) return;
    const deadline = this.ctx.clock.now() + this.config.openRetryTimeoutMs;
    let delay = OPEN_BACKOFF_MS.first;
    for (;;) {
      try {
        const claimed = await this.withClient('reading stored positions', (client) => this.offsets.claim(client, partitions));
        const positions: PartitionOffset[] = [];
        for (const p of claimed) {
          const key = partitionKey(p);
          this.epochs.set(key, p.epoch);
          this.fenced.delete(key);
          if (p.offset !== null) positions.push({ topic: p.topic, partition: p.partition, offset: p.offset });
        }
        this.logger.debug({ positions }, 'resuming from positions stored in PostgreSQL');
        return positions;
      } catch (err) {
        if (!(err instanceof TributaryError) || !err.retriable || this.ctx.clock.now() + delay > deadline) throw err;
        this.logger.warn({ err: errorMessage(err), delayMs: delay }, 'reading stored positions failed, retrying');
        await this.ctx.clock.sleep(delay);
        delay = Math.min(delay * 2, OPEN_BACKOFF_MS.max);
      }
    }
  }

  async put(records: SinkRecord[], position: PartitionOffset[]): Promise<void> {
    this.assertRunning();
    if (this.fenced.size > 0) {
      // Partitions another worker claimed since: their records are its to write.
      const owned = (p: { topic: string; partition: number }): boolean => !this.fenced.has(partitionKey(p));
      records = records.filter(owned);
      position = position.filter(owned);
      if (records.length === 0 && position.length === 0) return;
    }
    const { ops, refusals } = mapRecords(records, this.mapping);
    if (refusals.length > 0) throw refused(records, refusals);
    const claimed = this.claimedPositions(position);
    if (ops.length === 0 && claimed.length === 0) return;
    const fenced = await this.withClient('writing batch', async (client) => {
      const { plans, refusals: late } = await this.planner.plan(client, ops);
      if (late.length > 0) throw refused(records, late);
      return this.commit(client, plans, claimed);
    });
    if (fenced.length === 0) return;
    const lost = new Set(fenced.map(partitionKey));
    for (const key of lost) this.fenced.add(key);
    this.logger.warn({ partitions: fenced }, 'partitions were claimed by another worker (rebalance); leaving this batch to it');
    // Records of partitions still owned (a put spanning several) are written without the lost ones.
    const kept = records.filter((r) => !lost.has(partitionKey(r)));
    const keptPosition = position.filter((p) => !lost.has(partitionKey(p)));
    if (keptPosition.length > 0) await this.put(kept, keptPosition);
  }

  async close(partitions: TopicPartition[]): Promise<void> {
    for (const p of partitions) {
      this.epochs.delete(partitionKey(p));
      this.fenced.delete(partitionKey(p));
    }
  }

  /** Closes the pool; safe twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  /** The positions to store, with this task's epochs. Throws for a partition `open()` never assigned. */
  private claimedPositions(position: PartitionOffset[]): Claimed[] {
    if (!this.config.storeOffsets) return [];
    return position.map((p) => {
      const epoch = this.epochs.get(partitionKey(p));
      if (epoch === undefined) throw new TributaryError('INTERNAL', `postgres sink: put() for ${p.topic}[${p.partition}], which open() did not assign to this worker`);
      return { ...p, epoch };
    });
  }

  /** One transaction: positions first (locking their rows), then the rows. Returns the partitions found fenced. */
  private async commit(client: PoolClient, plans: TablePlan[], claimed: Claimed[]): Promise<TopicPartition[]> {
    await client.query('BEGIN');
    const scope = this.writer.open(client);
    let committed = false;
    try {
      const fenced = await this.offsets.advance(client, claimed);
      if (fenced.length > 0) return fenced;
      for (const { table, primaryKey, steps } of plans) {
        const key = primaryKey.map((name) => table.columns.get(name)).filter((c) => c !== undefined);
        for (const step of steps) {
          if (step.kind === 'delete') await scope.delete(table, key, step.rows);
          else await scope.write(table, step.columns.map((name) => table.columns.get(name)).filter((c) => c !== undefined), step.rows, this.config.mode === 'upsert' ? primaryKey : undefined);
        }
      }
      await client.query('COMMIT');
      committed = true;
      return [];
    } finally {
      if (!committed) await client.query('ROLLBACK').catch(() => undefined);
      scope.done(committed);
    }
  }

  /**
   * Runs `body` on a pooled connection. A connection that failed is destroyed rather than reused;
   * a stale catalog entry (table or column gone) is dropped so the retry re-reads it. Errors come out
   * as the TributaryError their kind calls for (pg-error.ts).
   */
  private async withClient<T>(context: string, body: (client: PoolClient) => Promise<T>): Promise<T> {
    const pool = this.pool;
    if (pool === undefined) throw new TributaryError('INTERNAL', 'postgres sink: used before start()');
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw sinkError(`${context}: connecting to ${describeTarget(this.config)}`, err);
    }
    let broken: Error | undefined;
    try {
      return await body(client);
    } catch (err) {
      const kind = failureKind(err);
      if (kind === 'transient' && !(err instanceof TributaryError)) broken = err instanceof Error ? err : new Error(String(err));
      if (kind === 'stale') this.catalog.invalidate();
      throw sinkError(context, err);
    } finally {
      client.release(broken);
    }
  }

  private tableFor(topic: string): string {
    let table = this.tables.get(topic);
    if (table === undefined) {
      table = tableForTopic(this.config.table, topic);
      this.tables.set(topic, table);
    }
    return table;
  }

  private assertRunning(): void {
    if (this.stopped) throw new TributaryError('INTERNAL', 'postgres sink: called after stop()');
  }
}

function partitionKey(p: { topic: string; partition: number }): string {
  return `${p.partition}:${p.topic}`;
}

function refused(records: readonly SinkRecord[], refusals: readonly Refusal[]): TributaryError {
  const offsets = refusals.map((r) => {
    const record = records[r.index];
    return { topic: record?.topic, partition: record?.partition, offset: record?.offset, reason: r.reason };
  });
  return new TributaryError('SINK_RECORD_REJECTED', `writing batch: ${refusals.length} record(s) refused: ${refusals[0]?.reason ?? ''}`, { details: { offsets } });
}
