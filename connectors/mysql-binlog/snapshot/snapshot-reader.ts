import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { Logger } from '../../../src/sdk/index.ts';
import type { CellValue } from '../binlog/cell-decoder.ts';
import type { Charsets } from '../binlog/charset.ts';
import type { BinlogOffset } from '../position/binlog-offset.ts';
import { readTableSchemas } from '../schema/information-schema.ts';
import type { ResolvedTable } from '../schema/resolved-table.ts';
import type { TableSchema } from '../schema/table-schema.ts';
import type { TableFilter } from '../stream/table-filter.ts';
import { cellFromText, resolveFromCatalog } from './catalog-table.ts';
import { readServerPosition } from './server-position.ts';

export interface SnapshotChunk {
  table: ResolvedTable;
  rows: CellValue[][];
  /** True for the chunk holding the snapshot's very last row. */
  last: boolean;
}

export interface SnapshotStart {
  /** The binlog position the snapshot's data corresponds to: streaming starts here. */
  position: BinlogOffset;
  schemas: TableSchema[];
}

interface TableCursor {
  schema: TableSchema;
  table: ResolvedTable;
  /** Last primary key read, as bind values; undefined before the first chunk. */
  after: Array<string | Buffer> | undefined;
  /** Tables without a primary key are paged by OFFSET within the same consistent snapshot. */
  offset: number;
  done: boolean;
}

export function quoteId(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * The initial snapshot: a consistent read of every captured table, and the binlog position it
 * corresponds to.
 *
 * 1. connection L: FLUSH TABLES WITH READ LOCK (no commits or DDL anywhere from now on);
 * 2. connection S: START TRANSACTION WITH CONSISTENT SNAPSHOT (REPEATABLE READ, time_zone +00:00);
 * 3. L: the binlog position (file, position, GTID) and the captured tables' schemas; S touches each
 *    captured table, taking its metadata lock until the snapshot ends (DDL on those tables waits);
 * 4. L: UNLOCK TABLES — the lock is held only for steps 2-3;
 * 5. S: each table in primary-key order, `snapshotChunkRows` at a time (keyset pagination), all inside
 *    the one transaction, so every chunk sees the state as of the position read in step 3.
 *
 * Invariant: rows read equal the tables' state at `position` exactly, so streaming from `position`
 * neither misses nor repeats a change.
 */
export class SnapshotReader {
  private connection: PoolConnection | undefined;
  private cursors: TableCursor[] = [];
  private index = 0;
  private ahead: SnapshotChunk | null | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly o: { filter: TableFilter; chunkRows: number; charsets: Charsets; mariaDb: boolean; logger: Logger },
  ) {}

  async begin(): Promise<SnapshotStart> {
    const lock = await this.pool.getConnection();
    const snap = await this.pool.getConnection();
    this.connection = snap;
    let start: SnapshotStart;
    try {
      await lock.query('FLUSH TABLES WITH READ LOCK');
      try {
        await snap.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await snap.query("SET time_zone = '+00:00'");
        await snap.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
        const position = await readServerPosition(lock, this.o.mariaDb);
        const all = await readTableSchemas(this.pool);
        const schemas = [...all.values()].filter((s) => this.o.filter.matches(s.database, s.table));
        // Touch every captured table inside the snapshot transaction: it then holds their metadata
        // locks until it ends, so a DDL cannot change a table between reading its schema and its rows.
        for (const t of schemas) await snap.query(`SELECT 1 FROM ${quoteId(t.database)}.${quoteId(t.table)} LIMIT 0`);
        start = { position, schemas };
      } finally {
        await lock.query('UNLOCK TABLES');
      }
    } finally {
      lock.release();
    }
    this.cursors = start.schemas.map((schema) => ({ schema, table: resolveFromCatalog(schema, this.o.charsets), after: undefined, offset: 0, done: false }));
    this.o.logger.info({ tables: this.cursors.length, position: { file: start.position.file, pos: start.position.pos, gtid: start.position.gtid } }, 'snapshot started');
    return start;
  }

  /** The next chunk, or null when every table has been read. Reads one chunk ahead to know which is last. */
  async next(): Promise<SnapshotChunk | null> {
    if (this.ahead === undefined) this.ahead = await this.read();
    const current = this.ahead;
    if (current === null) return null;
    this.ahead = await this.read();
    if (this.ahead === null) {
      current.last = true;
      // End the read transaction now: it holds metadata locks that would block DDL on the tables
      // until the next poll.
      await this.close();
    }
    return current;
  }

  async close(): Promise<void> {
    const c = this.connection;
    this.connection = undefined;
    if (c === undefined) return;
    try {
      await c.query('COMMIT');
    } catch {
      // The transaction only read; a failed COMMIT loses nothing.
    } finally {
      c.release();
    }
  }

  private async read(): Promise<SnapshotChunk | null> {
    const c = this.connection;
    if (c === undefined) return null;
    while (this.index < this.cursors.length) {
      const cursor = this.cursors[this.index] as TableCursor;
      if (cursor.done) {
        this.index++;
        continue;
      }
      const rows = await this.readChunk(c, cursor);
      if (rows.length < this.o.chunkRows) cursor.done = true;
      if (rows.length > 0) return { table: cursor.table, rows, last: false };
    }
    return null;
  }

  private async readChunk(c: PoolConnection, cursor: TableCursor): Promise<CellValue[][]> {
    const { schema, table } = cursor;
    const columns = schema.columns.map((col) => quoteId(col.name)).join(', ');
    const from = `${quoteId(schema.database)}.${quoteId(schema.table)}`;
    const pk = schema.primaryKey;
    let sql: string;
    let params: unknown[] = [];
    if (pk.length > 0) {
      const keyList = pk.map(quoteId).join(', ');
      const where = cursor.after === undefined ? '' : ` WHERE (${keyList}) > (${pk.map(() => '?').join(', ')})`;
      sql = `SELECT ${columns} FROM ${from}${where} ORDER BY ${keyList} LIMIT ${this.o.chunkRows}`;
      params = cursor.after ?? [];
    } else {
      sql = `SELECT ${columns} FROM ${from} LIMIT ${this.o.chunkRows} OFFSET ${cursor.offset}`;
    }
    const [raw] = await c.query<RowDataPacket[]>({ sql, values: params, rowsAsArray: true, typeCast: (field) => field.buffer() });
    const rows = raw as unknown as Array<Array<Buffer | null>>;
    cursor.offset += rows.length;
    const last = rows[rows.length - 1];
    if (last !== undefined && pk.length > 0) {
      cursor.after = pk.map((name) => {
        const i = schema.columns.findIndex((col) => col.name === name);
        const v = last[i] ?? null;
        const col = table.columns[i];
        if (v === null || col === undefined) return '';
        return col.binary ? v : v.toString('utf8');
      });
    }
    return rows.map((row) => row.map((v, i) => cellFromText(table.columns[i] as (typeof table.columns)[number], v)));
  }
}
