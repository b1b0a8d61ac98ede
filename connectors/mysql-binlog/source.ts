import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise';
import { TributaryError, errorMessage, type SourceRecord, type SourceTask, type SourceTaskContext } from '../../src/sdk/index.ts';
import type { BinlogClientOptions } from './binlog/binlog-client.ts';
import { Charsets } from './binlog/charset.ts';
import { ChecksumMismatchError } from './binlog/events.ts';
import { resolveMysqlBinlogConfig, type MysqlBinlogConfig } from './config.ts';
import { CanalFormatter } from './output/canal-format.ts';
import { DebeziumFormatter } from './output/debezium-format.ts';
import type { ChangeFormatter } from './output/formatter.ts';
import { TopicRouter } from './output/topic-router.ts';
import { offsetFromRecord, type BinlogOffset } from './position/binlog-offset.ts';
import { readTableSchemas } from './schema/information-schema.ts';
import { SchemaMismatchError } from './schema/resolved-table.ts';
import { SchemaHistory } from './schema/schema-history.ts';
import { SnapshotReader } from './snapshot/snapshot-reader.ts';
import { readServerPosition } from './snapshot/server-position.ts';
import { BinlogStream, UnsupportedEventError } from './stream/binlog-stream.ts';
import type { Change, RowChange, TxnInfo } from './stream/change.ts';
import { TableFilter } from './stream/table-filter.ts';
import { ServerError } from './wire/server-packets.ts';

export const CONNECTOR_VERSION = '1.0.0';

interface ServerInfo {
  version: string;
  mariaDb: boolean;
  serverId: number;
  rowMetadata: string;
}

/**
 * The mysql-binlog source task: an optional consistent snapshot, then the binlog from the position
 * the snapshot (or the stored offset) names, each change formatted as Canal or Debezium records.
 *
 * Invariant: each poll returns whole binlog transactions (or parts of one larger than
 * maxTransactionRows, with exact resume counters), so the runtime's one-Kafka-transaction-per-batch
 * commits a source transaction atomically with its position.
 */
export class MysqlBinlogSourceTask implements SourceTask {
  private readonly ctx: SourceTaskContext<MysqlBinlogConfig>;
  private readonly config: MysqlBinlogConfig;
  private readonly sourcePartition: Record<string, unknown>;
  private readonly filter: TableFilter;
  private readonly charsets = new Charsets();
  private pool: Pool | undefined;
  private server: ServerInfo | undefined;
  private history: SchemaHistory | undefined;
  private formatter: ChangeFormatter | undefined;
  private snapshot: { reader: SnapshotReader; position: BinlogOffset; startedAt: number } | undefined;
  private stream: BinlogStream | undefined;
  private exhausted = false;
  private stopped = false;

  constructor(ctx: SourceTaskContext<MysqlBinlogConfig>) {
    this.ctx = ctx;
    this.config = resolveMysqlBinlogConfig(ctx.config);
    const name = this.config.name === '' ? ctx.pipeline : this.config.name;
    this.sourcePartition = Object.freeze({ mysqlBinlog: name });
    this.filter = new TableFilter(this.config.include, this.config.exclude);
  }

  /** Where the task stands: the stream's resume offset once streaming. For tests and diagnostics. */
  get position(): BinlogOffset | undefined {
    return this.stream?.position ?? this.snapshot?.position;
  }

  async start(): Promise<void> {
    try {
      await this.open();
    } catch (err) {
      await this.stop();
      throw classify(err, 'starting the mysql-binlog source');
    }
  }

  private async open(): Promise<void> {
    const c = this.config;
    const { logger } = this.ctx;
    this.pool = mysql.createPool({
      host: c.host,
      port: c.port,
      user: c.user,
      password: c.password,
      connectionLimit: 4,
      connectTimeout: c.connectTimeoutMs,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      charset: 'utf8mb4',
      ...(c.tls === 'required' || c.tls === 'verify' ? { ssl: { rejectUnauthorized: c.tls === 'verify', ...(c.tlsCa !== '' ? { ca: c.tlsCa } : {}) } } : {}),
    });
    this.server = await this.readServer(this.pool);
    const name = this.sourcePartition.mysqlBinlog as string;
    this.formatter = this.makeFormatter(name);
    const [collations] = await this.pool.query<RowDataPacket[]>('SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS WHERE ID IS NOT NULL');
    this.charsets.learn(collations.map((r) => [Number(r.ID), String(r.CHARACTER_SET_NAME)] as const));
    const persistent = this.server.rowMetadata !== 'FULL';
    if (persistent) logger.warn({ binlog_row_metadata: this.server.rowMetadata }, 'the server does not log column names; decoding relies on the schema history stored with positions (binlog_row_metadata=FULL is safer)');
    const pool = this.pool;
    this.history = new SchemaHistory(async (refs) => {
      const loaded = await readTableSchemas(pool, refs);
      return new Map([...loaded].filter(([, s]) => this.filter.matches(s.database, s.table)));
    }, persistent);

    const stored = this.ctx.committedOffset(this.sourcePartition);
    let offset: BinlogOffset | undefined;
    if (stored !== undefined) {
      const parsed = offsetFromRecord(stored);
      if (typeof parsed === 'string') throw new TributaryError('SOURCE_FAILED', `resuming mysql-binlog: the stored offset ${JSON.stringify(stored)} is not usable: ${parsed}`, { retriable: false });
      offset = parsed;
    }
    const mode = c.snapshot;
    if (offset !== undefined && offset.snapshot === undefined) {
      if (mode === 'initial-only') {
        this.exhausted = true;
        return;
      }
      if (mode === 'when-needed' && !(await this.binlogFileExists(offset.file))) {
        logger.warn({ file: offset.file }, 'the stored binlog file is gone from the server; taking a new snapshot');
        await this.beginSnapshot();
        return;
      }
      this.history.restore(offset.schemas);
      logger.info({ file: offset.file, pos: offset.pos, gtid: offset.gtid, row: offset.row }, 'resuming from the stored binlog position');
      this.startStream(offset);
      return;
    }
    if (offset?.snapshot === 'running') logger.warn({}, 'the previous snapshot did not finish; starting it again');
    if (mode === 'never') {
      const conn = await this.pool.getConnection();
      try {
        this.startStream(await readServerPosition(conn, this.server.mariaDb));
      } finally {
        conn.release();
      }
      return;
    }
    await this.beginSnapshot();
  }

  private async readServer(pool: Pool): Promise<ServerInfo> {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT VERSION() AS version, @@server_id AS serverId, @@log_bin AS logBin, @@binlog_format AS format, @@binlog_row_image AS image');
    const r: Record<string, unknown> = rows[0] ?? {};
    const version = String(r.version);
    const mariaDb = /mariadb/i.test(version);
    if (String(r.logBin) !== '1') throw new TributaryError('SOURCE_FAILED', `the server at ${this.config.host}:${this.config.port} has the binary log off (log_bin=0); enable it to capture changes`, { retriable: false });
    if (String(r.format).toUpperCase() !== 'ROW') throw new TributaryError('SOURCE_FAILED', `binlog_format is ${String(r.format)}; row-based capture needs binlog_format=ROW`, { retriable: false });
    if (String(r.image).toUpperCase() !== 'FULL') this.ctx.logger.warn({ binlog_row_image: r.image }, 'binlog_row_image is not FULL: before/after images will miss columns');
    let rowMetadata = 'MINIMAL';
    try {
      const [m] = await pool.query<RowDataPacket[]>('SELECT @@binlog_row_metadata AS m');
      rowMetadata = String(m[0]?.m ?? 'MINIMAL').toUpperCase();
    } catch {
      rowMetadata = 'NONE';
    }
    return { version, mariaDb, serverId: Number(r.serverId), rowMetadata };
  }

  private makeFormatter(name: string): ChangeFormatter {
    const c = this.config;
    const topics = new TopicRouter(c.topic);
    const ddlTopics = new TopicRouter(c.ddlTopic);
    if (c.format === 'debezium') {
      return new DebeziumFormatter(topics, ddlTopics, this.sourcePartition, {
        serverName: name,
        decimalHandling: c.decimalHandling,
        tombstonesOnDelete: c.tombstonesOnDelete,
        connectorVersion: CONNECTOR_VERSION,
      });
    }
    return new CanalFormatter(topics, ddlTopics, this.sourcePartition);
  }

  private async binlogFileExists(file: string): Promise<boolean> {
    const [rows] = await (this.pool as Pool).query<RowDataPacket[]>('SHOW BINARY LOGS');
    return rows.some((r) => r.Log_name === file);
  }

  private async beginSnapshot(): Promise<void> {
    const server = this.server as ServerInfo;
    const reader = new SnapshotReader(this.pool as Pool, {
      filter: this.filter,
      chunkRows: this.config.snapshotChunkRows,
      charsets: this.charsets,
      mariaDb: server.mariaDb,
      logger: this.ctx.logger,
    });
    const { position, schemas } = await reader.begin();
    // The schemas read under the snapshot's lock are the history's baseline at `position`.
    for (const s of schemas) this.history?.put(s);
    this.snapshot = { reader, position, startedAt: Math.floor(this.ctx.clock.now() / 1000) };
  }

  private startStream(from: BinlogOffset): void {
    const c = this.config;
    const server = this.server as ServerInfo;
    const client: BinlogClientOptions = {
      host: c.host,
      port: c.port,
      user: c.user,
      password: c.password,
      tls: c.tls,
      ...(c.tlsCa !== '' ? { tlsCa: c.tlsCa } : {}),
      connectTimeoutMs: c.connectTimeoutMs,
      highWaterBytes: c.queueBytes,
      serverId: c.serverId,
      heartbeatIntervalMs: c.heartbeatIntervalMs,
    };
    this.stream = new BinlogStream(
      {
        client,
        mariaDb: server.mariaDb,
        useGtid: c.useGtid,
        filter: this.filter,
        history: this.history as SchemaHistory,
        charsets: this.charsets,
        maxTransactionRows: c.maxTransactionRows,
        maxBatchRows: c.maxBatchRows,
        pollTimeoutMs: c.pollTimeoutMs,
        idleTimeoutMs: c.heartbeatIntervalMs * 3 + 2000,
        logger: this.ctx.logger,
        clock: this.ctx.clock,
      },
      from,
    );
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[] | null> {
    if (this.exhausted) return null;
    if (signal.aborted || this.stopped) return [];
    try {
      if (this.snapshot !== undefined) return await this.pollSnapshot();
      if (this.stream === undefined) return null;
      const changes = await this.stream.poll(signal);
      return this.records(changes);
    } catch (err) {
      throw classify(err, 'reading the binlog');
    }
  }

  private async pollSnapshot(): Promise<SourceRecord[] | null> {
    const snap = this.snapshot as NonNullable<typeof this.snapshot>;
    const chunk = await snap.reader.next();
    if (chunk === null) {
      await snap.reader.close();
      this.snapshot = undefined;
      this.ctx.logger.info({ position: snap.position }, 'snapshot finished; streaming from its position');
      if (this.config.snapshot === 'initial-only') {
        this.exhausted = true;
        return null;
      }
      this.startStream(snap.position);
      return [];
    }
    const server = this.server as ServerInfo;
    const txn: TxnInfo = { id: 'snapshot', gtid: null, threadId: null, query: null, startFile: snap.position.file, startPos: 0 };
    const running: BinlogOffset = { ...snap.position, snapshot: 'running' };
    const schemas = this.history?.toOffset();
    const done: BinlogOffset = { ...snap.position, ...(schemas !== undefined ? { schemas } : {}) };
    const changes: RowChange[] = chunk.rows.map((after, i) => {
      const last = chunk.last && i === chunk.rows.length - 1;
      return {
        kind: 'row',
        op: 'read',
        table: chunk.table,
        after,
        rowInEvent: 0,
        snapshot: last ? 'last' : 'true',
        offset: last ? done : running,
        txn,
        indexInTxn: i + 1,
        lastInTxn: i === chunk.rows.length - 1,
        timestamp: snap.startedAt,
        serverId: server.serverId,
        file: snap.position.file,
        eventPos: snap.position.pos,
      };
    });
    return this.records(changes);
  }

  private records(changes: Change[]): SourceRecord[] {
    const formatter = this.formatter as ChangeFormatter;
    const now = this.ctx.clock.now();
    const out: SourceRecord[] = [];
    for (const change of changes) out.push(...formatter.format(change, now));
    return out;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stream?.close();
    await this.snapshot?.reader.close().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }
}

/** Retriable unless retrying cannot help: bad credentials, broken schema history, undecodable events. */
function classify(err: unknown, context: string): TributaryError {
  if (err instanceof TributaryError) return err;
  const permanent =
    err instanceof SchemaMismatchError ||
    err instanceof UnsupportedEventError ||
    err instanceof ChecksumMismatchError ||
    (err instanceof ServerError && [1045, 1236, 1227, 1044].includes(err.errno)) ||
    (typeof err === 'object' && err !== null && 'errno' in err && [1045, 1044, 1227].includes(Number((err as { errno: unknown }).errno)));
  return new TributaryError('SOURCE_FAILED', `${context}: ${errorMessage(err)}`, { cause: err, retriable: !permanent });
}

