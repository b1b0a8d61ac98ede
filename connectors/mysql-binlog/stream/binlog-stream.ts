import type { Clock, Logger } from '../../../src/sdk/index.ts';
import { BinlogClient, type BinlogClientOptions, type DumpStart } from '../binlog/binlog-client.ts';
import type { Charsets } from '../binlog/charset.ts';
import { EventType, LOG_EVENT_ARTIFICIAL_F, eventTypeName } from '../binlog/event-type.ts';
import type { BinlogEvent } from '../binlog/events.ts';
import { decodeRows, type RowsEvent } from '../binlog/rows-event.ts';
import type { TableMapEvent } from '../binlog/table-map-event.ts';
import type { BinlogOffset } from '../position/binlog-offset.ts';
import { MariaGtidState, formatMariaGtid } from '../position/mariadb-gtid.ts';
import { MysqlGtidSet } from '../position/mysql-gtid-set.ts';
import { classifyStatement, type DdlType, type TableRef } from '../schema/ddl.ts';
import { resolveTable, type ResolvedTable } from '../schema/resolved-table.ts';
import type { SchemaHistory } from '../schema/schema-history.ts';
import type { Change, RowChange, TxnInfo } from './change.ts';
import type { TableFilter } from './table-filter.ts';

export interface BinlogStreamOptions {
  client: BinlogClientOptions;
  mariaDb: boolean;
  /** Resume with the GTID in the offset when it has one (else file + position). */
  useGtid: boolean;
  filter: TableFilter;
  history: SchemaHistory;
  charsets: Charsets;
  /** A transaction with more rows than this is delivered in parts of this size. */
  maxTransactionRows: number;
  /** Whole transactions already received are combined into one poll up to about this many rows. */
  maxBatchRows: number;
  /** Longest a poll waits for a transaction before returning what it has (possibly nothing). */
  pollTimeoutMs: number;
  /** No packet (event or heartbeat) for this long means the link is dead: reconnect. */
  idleTimeoutMs: number;
  logger: Logger;
  clock: Clock;
  /** Test hook: every raw event, before decoding (fixture capture). */
  onRawEvent?: (raw: Buffer) => void;
}

interface OpenTxn {
  info: TxnInfo;
  startFile: string;
  startPos: number;
  /** GTID position before this transaction, as stored in offsets. */
  gtidBefore: string | undefined;
  /** This transaction's own GTID, applied to the position when it ends. */
  mariaGtid?: { domain: number; server: number; seq: bigint };
  mysqlGtid?: { sid: string; gno: bigint };
  /** Saw BEGIN (or a MariaDB non-standalone GTID): statements until COMMIT/XID belong to it. */
  begun: boolean;
  /** Included rows seen so far, counting skipped ones; a row's 1-based index in the transaction. */
  rows: number;
  /** Rows to drop at the start of this transaction (resume mid-transaction). */
  skip: number;
  changes: Change[];
}

interface TableEntry {
  signature: string;
  table: ResolvedTable | undefined;
}

/**
 * Reads the binlog from a position and turns it into changes, whole transactions at a time.
 *
 * Invariants:
 * - A row change's offset is the transaction's start plus the number of its rows delivered so far;
 *   the last change of a transaction carries the position after it. So resuming from any change's
 *   offset re-reads that transaction and skips exactly the rows already delivered.
 * - `poll()` returns only complete transactions, except that a transaction over `maxTransactionRows`
 *   is returned in parts, each part a batch of its own and holding back at least one row until the
 *   next part or the end, so the part that ends the transaction is never empty.
 * - After a connection failure the next poll reconnects from the offset of the last change returned
 *   (`resumeFrom`); anything received after it is decoded again.
 */
export class BinlogStream {
  private readonly o: BinlogStreamOptions;
  private client: BinlogClient | undefined;
  private pending: Promise<Buffer | null> | undefined;
  private resumeFrom: BinlogOffset;
  private lastPacketAt = 0;

  private file = '';
  private maria = MariaGtidState.empty();
  private mysql = MysqlGtidSet.empty();
  private txn: OpenTxn | undefined;
  private skipNext = 0;
  private readonly tables = new Map<number, TableEntry>();
  private readonly ready: Change[] = [];

  constructor(options: BinlogStreamOptions, start: BinlogOffset) {
    this.o = options;
    this.resumeFrom = start;
  }

  /** The offset a reconnect would start from: that of the last change returned by poll(). */
  get position(): BinlogOffset {
    return this.resumeFrom;
  }

  async poll(signal: AbortSignal): Promise<Change[]> {
    if (this.client === undefined) await this.connect();
    const client = this.client as BinlogClient;
    const deadline = this.o.clock.now() + this.o.pollTimeoutMs;
    // One timer per poll, not per event: the wait for the next packet races it.
    let expiry: PollExpiry | undefined;
    const expired = (): Promise<undefined> => (expiry ??= pollExpiry(this.o.clock, deadline, signal)).expired;
    try {
      for (;;) {
        if (signal.aborted) break;
        if (this.readyRows() >= this.o.maxBatchRows) break;
        if (this.txn !== undefined && this.txn.changes.length > this.o.maxTransactionRows) {
          // Complete transactions go out first; a part of a large one is always a batch of its own.
          if (this.ready.length === 0) this.ready.push(...this.txn.changes.splice(0, this.o.maxTransactionRows));
          break;
        }
        // Return what is complete rather than wait, unless more is already buffered.
        if (this.ready.length > 0 && this.pending === undefined && client.connection.channel.buffered === 0) break;
        const raw = await this.nextRaw(client, expired);
        if (raw === undefined) break;
        if (raw === null) throw new Error('the server ended the binlog stream');
        await this.process(client, raw);
      }
    } catch (err) {
      this.disconnect();
      throw err;
    } finally {
      expiry?.release();
    }
    const out = this.ready.splice(0);
    const last = out[out.length - 1];
    if (last !== undefined) this.resumeFrom = last.offset;
    return out;
  }

  close(): void {
    this.disconnect();
  }

  private readyRows(): number {
    return this.ready.length;
  }

  /** The next raw event; undefined when the poll's deadline passed or the poll was aborted first. */
  private async nextRaw(client: BinlogClient, expired: () => Promise<undefined>): Promise<Buffer | null | undefined> {
    // Fast path: a packet is already buffered, so no timer is needed to bound the wait.
    if (this.pending === undefined && client.connection.channel.buffered > 0) {
      const raw = await client.nextRaw();
      this.lastPacketAt = this.o.clock.now();
      return raw;
    }
    if (this.pending === undefined) {
      const p = client.nextRaw();
      // The read may outlive this poll; a failure is observed by the poll that awaits it.
      p.catch(() => undefined);
      this.pending = p;
    }
    const result = await Promise.race([this.pending.then((v) => ({ v })), expired()]);
    if (result === undefined) {
      if (this.o.clock.now() - this.lastPacketAt > this.o.idleTimeoutMs) {
        throw new Error(`no event or heartbeat from the server for ${this.o.idleTimeoutMs} ms`);
      }
      return undefined;
    }
    this.pending = undefined;
    this.lastPacketAt = this.o.clock.now();
    return result.v;
  }

  private async connect(): Promise<void> {
    const from = this.resumeFrom;
    let start: DumpStart;
    if (this.o.useGtid && from.gtid !== undefined && from.gtid !== '') {
      start = this.o.mariaDb ? { kind: 'mariadb-gtid', state: from.gtid } : { kind: 'mysql-gtid', set: from.gtid };
    } else {
      start = { kind: 'file', file: from.file, position: from.pos };
    }
    this.o.logger.info({ start, skipRows: from.row }, 'connecting to the binlog');
    this.client = await BinlogClient.open(this.o.client, start);
    this.pending = undefined;
    this.lastPacketAt = this.o.clock.now();
    this.file = from.file;
    if (this.o.mariaDb) this.maria = from.gtid ? MariaGtidState.parse(from.gtid) : MariaGtidState.empty();
    else this.mysql = from.gtid ? MysqlGtidSet.parse(from.gtid) : MysqlGtidSet.empty();
    this.txn = undefined;
    this.skipNext = from.row;
    this.tables.clear();
    this.ready.length = 0;
  }

  private disconnect(): void {
    this.client?.close();
    this.client = undefined;
    this.pending = undefined;
    this.txn = undefined;
    this.ready.length = 0;
  }

  private gtidString(): string | undefined {
    const s = this.o.mariaDb ? this.maria.toString() : this.mysql.toString();
    return s === '' ? undefined : s;
  }

  private offset(file: string, pos: number, gtid: string | undefined, row: number): BinlogOffset {
    const schemas = this.o.history.toOffset();
    return { file, pos, row, ...(gtid !== undefined ? { gtid } : {}), ...(schemas !== undefined ? { schemas } : {}) };
  }

  private async process(client: BinlogClient, raw: Buffer): Promise<void> {
    this.o.onRawEvent?.(raw);
    const e = client.decode(raw);
    const h = e.header;
    const real = h.logPos > 0 && (h.flags & LOG_EVENT_ARTIFICIAL_F) === 0;
    const eventStart = real ? h.logPos - h.eventSize : 0;
    const nextPos = h.logPos;
    switch (e.kind) {
      case 'rotate':
        this.file = e.file;
        return;
      case 'format-description':
      case 'heartbeat':
      case 'binlog-checkpoint':
        return;
      case 'mariadb-gtid-list':
        if (this.maria.isEmpty && e.gtids.length > 0) this.maria = MariaGtidState.of(e.gtids);
        return;
      case 'previous-gtids':
        if (this.mysql.isEmpty) this.mysql = e.set;
        return;
      case 'mariadb-gtid': {
        const txn = this.begin(eventStart, formatMariaGtid(e.gtid));
        txn.mariaGtid = e.gtid;
        txn.begun = !e.standalone;
        return;
      }
      case 'mysql-gtid': {
        const txn = this.begin(eventStart, e.anonymous ? null : `${e.sid}:${e.gno}`);
        if (!e.anonymous) txn.mysqlGtid = { sid: e.sid, gno: e.gno };
        return;
      }
      case 'query':
        await this.query(e, eventStart, nextPos);
        return;
      case 'annotate-rows':
      case 'rows-query':
        if (this.txn !== undefined) this.txn.info.query = e.sql;
        return;
      case 'table-map':
        await this.tableMap(e.map);
        return;
      case 'rows':
        this.rows(e, e.rows, eventStart);
        return;
      case 'xid':
        this.end(nextPos);
        return;
      case 'skipped':
        // XA: the rows of an XA transaction are logged when it is prepared; XA COMMIT or ROLLBACK
        // follows later as a statement of its own. The prepared rows are delivered at prepare.
        if (e.type === EventType.XA_PREPARE) this.end(nextPos);
        else this.skipped(e);
        return;
      default:
        return;
    }
  }

  private begin(eventStart: number, gtid: string | null): OpenTxn {
    if (this.txn !== undefined) {
      // A new transaction while one is open means the previous never committed in this stream
      // (the server only writes whole transactions): drop it rather than mix the two.
      this.o.logger.warn({ file: this.file, pos: eventStart }, 'binlog transaction without an end; discarding its changes');
    }
    const txn: OpenTxn = {
      info: { id: gtid ?? `${this.file}:${eventStart}`, gtid, threadId: null, query: null, startFile: this.file, startPos: eventStart },
      startFile: this.file,
      startPos: eventStart,
      gtidBefore: this.gtidString(),
      begun: false,
      rows: 0,
      skip: this.skipNext,
      changes: [],
    };
    this.skipNext = 0;
    this.txn = txn;
    return txn;
  }

  private async query(e: Extract<BinlogEvent, { kind: 'query' }>, eventStart: number, nextPos: number): Promise<void> {
    const stmt = classifyStatement(e.sql, e.database);
    if (stmt.kind === 'begin') {
      const txn = this.txn ?? this.begin(eventStart, null);
      txn.begun = true;
      txn.info.threadId = e.threadId;
      return;
    }
    if (stmt.kind === 'commit' || stmt.kind === 'rollback') {
      this.end(nextPos);
      return;
    }
    const txn = this.txn ?? this.begin(eventStart, null);
    txn.info.threadId = e.threadId;
    if (stmt.kind === 'ddl' || stmt.kind === 'database-ddl') {
      const tables: TableRef[] = stmt.kind === 'ddl' ? stmt.tables : [];
      await this.applyDdl(stmt.type, e.sql, tables);
      const captured = tables.length === 0 ? stmt.kind === 'database-ddl' : tables.some((t) => this.o.filter.matches(t.database, t.table));
      if (captured) {
        txn.changes.push({
          kind: 'ddl',
          type: stmt.type,
          database: stmt.kind === 'ddl' ? (tables[0]?.database ?? e.database) : stmt.database,
          tables,
          sql: e.sql,
          offset: this.offset(txn.startFile, txn.startPos, txn.gtidBefore, 0),
          txn: txn.info,
          indexInTxn: txn.changes.length + 1,
          lastInTxn: false,
          timestamp: e.header.timestamp,
          serverId: e.header.serverId,
          file: this.file,
          eventPos: eventStart,
        });
      }
    }
    // A statement outside BEGIN..COMMIT (DDL, GRANT, ...) is a transaction of its own.
    if (!txn.begun) this.end(nextPos);
  }

  private async applyDdl(type: DdlType, sql: string, tables: TableRef[]): Promise<void> {
    if (tables.length === 0) return;
    for (const [id, entry] of this.tables) {
      if (entry.table !== undefined && tables.some((t) => t.database === entry.table?.database && t.table === entry.table?.table)) this.tables.delete(id);
    }
    const relevant = tables.filter((t) => this.o.filter.matches(t.database, t.table));
    if (relevant.length === 0) return;
    // RENAME keeps its (old, new) pairs: both names matter even when only one side is captured.
    const reread = await this.o.history.applyDdl(type, sql, type === 'RENAME' ? tables : relevant);
    if (reread.length > 0 && this.o.history.persistent) {
      this.o.logger.warn({ tables: reread.map((t) => `${t.database}.${t.table}`), sql: sql.slice(0, 200) }, 'DDL not understood; schema re-read from information_schema');
    }
  }

  private async tableMap(map: TableMapEvent): Promise<void> {
    const signature = `${map.database}\0${map.table}\0${map.types.join(',')}\0${map.meta.join(',')}\0${map.optional.names?.join('\0') ?? ''}`;
    const known = this.tables.get(map.tableId);
    if (known !== undefined && known.signature === signature) return;
    if (!this.o.filter.matches(map.database, map.table)) {
      this.tables.set(map.tableId, { signature, table: undefined });
      return;
    }
    const ref = { database: map.database, table: map.table };
    await this.o.history.ensure([ref]);
    const table = resolveTable(map, this.o.history.get(map.database, map.table), this.o.charsets);
    this.tables.set(map.tableId, { signature, table });
  }

  private rows(e: BinlogEvent, rows: RowsEvent, eventStart: number): void {
    const entry = this.tables.get(rows.tableId);
    if (entry === undefined) throw new Error(`rows event at ${this.file}:${eventStart} for table id ${rows.tableId} without a preceding TABLE_MAP`);
    const table = entry.table;
    if (table === undefined) return;
    const txn = this.txn ?? this.begin(eventStart, null);
    let images;
    try {
      images = decodeRows(rows, table.columns.map((c) => c.codec));
    } catch (err) {
      throw new Error(`decoding ${rows.kind} rows of ${table.database}.${table.table} at ${this.file}:${eventStart}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    images.forEach((image, rowInEvent) => {
      txn.rows++;
      if (txn.rows <= txn.skip) return;
      const change: RowChange = {
        kind: 'row',
        op: rows.kind,
        table,
        ...(image.before !== undefined ? { before: image.before } : {}),
        ...(image.after !== undefined ? { after: image.after } : {}),
        rowInEvent,
        offset: this.offset(txn.startFile, txn.startPos, txn.gtidBefore, txn.rows),
        txn: txn.info,
        indexInTxn: txn.rows,
        lastInTxn: false,
        timestamp: e.header.timestamp,
        serverId: e.header.serverId,
        file: this.file,
        eventPos: eventStart,
      };
      txn.changes.push(change);
    });
  }

  /** Ends the open transaction at `nextPos`: applies its GTID and releases its changes. */
  private end(nextPos: number): void {
    const txn = this.txn;
    if (txn === undefined) return;
    this.txn = undefined;
    if (txn.mariaGtid !== undefined) this.maria = this.maria.with(txn.mariaGtid);
    if (txn.mysqlGtid !== undefined) this.mysql = this.mysql.with(txn.mysqlGtid.sid, txn.mysqlGtid.gno);
    const last = txn.changes[txn.changes.length - 1];
    if (last !== undefined) {
      last.offset = this.offset(this.file, nextPos, this.gtidString(), 0);
      last.lastInTxn = true;
      this.ready.push(...txn.changes);
    }
  }

  private skipped(e: Extract<BinlogEvent, { kind: 'skipped' }>): void {
    const type = e.type;
    if (type === EventType.TRANSACTION_PAYLOAD || type === EventType.PARTIAL_UPDATE_ROWS || (type >= EventType.MARIADB_QUERY_COMPRESSED && type <= EventType.MARIADB_DELETE_ROWS_COMPRESSED_V1)) {
      throw new UnsupportedEventError(
        `binlog event ${eventTypeName(type)} at ${this.file}:${e.header.logPos - e.header.eventSize} cannot be decoded: turn off binlog_transaction_compression / log_bin_compress / binlog_row_value_options=PARTIAL_JSON on the server`,
      );
    }
    this.o.logger.debug({ type, name: eventTypeName(type), file: this.file, pos: e.header.logPos }, 'skipping binlog event');
  }
}

/** An event this reader cannot decode without losing data; retrying cannot help. */
export class UnsupportedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedEventError';
  }
}

interface PollExpiry {
  /** Resolves (never rejects) at the deadline, or when the poll's signal aborts. */
  expired: Promise<undefined>;
  /** Cancels the timer and stops listening to the signal. */
  release(): void;
}

/** Cancelling a sleep with a fixed reason spares creating an AbortError (and its stack) each time. */
const RELEASED = Symbol('poll finished');

function pollExpiry(clock: Clock, deadline: number, signal: AbortSignal): PollExpiry {
  const timer = new AbortController();
  const onAbort = (): void => timer.abort(RELEASED);
  signal.addEventListener('abort', onAbort, { once: true });
  const expired = clock.sleep(Math.max(0, deadline - clock.now()), timer.signal).then(
    () => undefined,
    () => undefined,
  );
  return {
    expired,
    release: () => {
      timer.abort(RELEASED);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
