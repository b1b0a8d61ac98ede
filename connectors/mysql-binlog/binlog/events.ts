import { ByteReader } from '../wire/byte-reader.ts';
import { MysqlGtidSet, formatUuid } from '../position/mysql-gtid-set.ts';
import type { MariaGtid } from '../position/mariadb-gtid.ts';
import { ChecksumAlg, crc32 } from './checksum.ts';
import { EVENT_HEADER_LENGTH, readEventHeader, type EventHeader } from './event-header.ts';
import { EventType, rowsEventKind } from './event-type.ts';
import { decodeRowsHeader, type RowsEvent } from './rows-event.ts';
import { decodeTableMap, type TableMapEvent } from './table-map-event.ts';

export type BinlogEventBody =
  | { kind: 'format-description'; binlogVersion: number; serverVersion: string; checksumAlg: number }
  | { kind: 'rotate'; position: number; file: string }
  | { kind: 'query'; threadId: number; execTime: number; errorCode: number; database: string; sql: string }
  | { kind: 'xid'; xid: bigint }
  | { kind: 'table-map'; map: TableMapEvent }
  | { kind: 'rows'; rows: RowsEvent }
  | { kind: 'mysql-gtid'; sid: string; gno: bigint; anonymous: boolean }
  | { kind: 'previous-gtids'; set: MysqlGtidSet }
  | { kind: 'mariadb-gtid'; gtid: MariaGtid; flags: number; standalone: boolean }
  | { kind: 'mariadb-gtid-list'; gtids: MariaGtid[] }
  | { kind: 'annotate-rows'; sql: string }
  | { kind: 'rows-query'; sql: string }
  | { kind: 'binlog-checkpoint'; file: string }
  | { kind: 'heartbeat'; file: string }
  | { kind: 'skipped'; type: number };

export type BinlogEvent = BinlogEventBody & { header: EventHeader };

/* MariaDB GTID event flags (Gtid_log_event::FL_*). */
export const MARIA_FL_STANDALONE = 0x01;
export const MARIA_FL_GROUP_COMMIT_ID = 0x02;

/** Thrown when an event's CRC32 does not match: the stream is corrupt and must not be trusted. */
export class ChecksumMismatchError extends Error {
  constructor(header: EventHeader, expected: number, actual: number) {
    super(`binlog event type ${header.type} ending at ${header.logPos}: CRC32 mismatch (event says ${expected.toString(16)}, computed ${actual.toString(16)})`);
    this.name = 'ChecksumMismatchError';
  }
}

/**
 * Decodes binlog events one at a time, carrying what earlier events declare: the checksum algorithm
 * and post-header lengths of the current file's FORMAT_DESCRIPTION event.
 *
 * Invariant: `checksumAlg` starts as what the connection negotiated (`@master_binlog_checksum`), so
 * the artificial ROTATE sent before any FORMAT_DESCRIPTION is verified too, and then follows each
 * FORMAT_DESCRIPTION the server sends (one per binlog file).
 */
export class EventDecoder {
  private checksumAlg: number;
  private postHeaderLengths: Buffer = Buffer.alloc(0);

  private readonly mariaDb: boolean;

  /** @param mariaDb the server is MariaDB (its TABLE_MAP metadata counts columns differently). */
  constructor(initialChecksumAlg: number, mariaDb: boolean) {
    this.checksumAlg = initialChecksumAlg;
    this.mariaDb = mariaDb;
  }

  /** `event` is one event: header, body and (if on) checksum, without the packet's leading OK byte. */
  decode(event: Buffer): BinlogEvent {
    const r = new ByteReader(event);
    const header = readEventHeader(r);
    if (header.eventSize !== event.length) {
      throw new Error(`binlog event type ${header.type}: header says ${header.eventSize} bytes, packet has ${event.length}`);
    }
    if (header.type === EventType.FORMAT_DESCRIPTION) return { header, ...this.formatDescription(event, r) };
    if (this.checksumAlg === ChecksumAlg.CRC32 && !isUnchecksummed(header.type)) {
      verify(event, header);
      r.end -= 4;
    }
    return { header, ...this.body(header, r) };
  }

  private formatDescription(event: Buffer, r: ByteReader): BinlogEventBody {
    // FORMAT_DESCRIPTION => binlog_version:2 server_version:50 create_timestamp:4 header_length:1
    //                       post_header_lengths:n checksum_alg:1 checksum:4
    const alg = event[event.length - 5] as number;
    if (alg === ChecksumAlg.CRC32) verify(event, readEventHeader(new ByteReader(event)));
    const binlogVersion = r.u16();
    const serverVersion = r.string(50, 'latin1').replace(/\0.*$/s, '');
    r.skip(4);
    const headerLength = r.u8();
    if (headerLength !== EVENT_HEADER_LENGTH) throw new Error(`unsupported binlog event header length ${headerLength}`);
    this.postHeaderLengths = Buffer.from(event.subarray(r.pos, event.length - 5));
    this.checksumAlg = alg;
    return { kind: 'format-description', binlogVersion, serverVersion, checksumAlg: alg };
  }

  private postHeaderLength(type: number): number | undefined {
    return type >= 1 && type <= this.postHeaderLengths.length ? this.postHeaderLengths[type - 1] : undefined;
  }

  private tableIdWidth(type: number): 4 | 6 {
    const len = this.postHeaderLength(type);
    return len === 6 ? 4 : 6;
  }

  private body(header: EventHeader, r: ByteReader): BinlogEventBody {
    const type = header.type;
    const rows = rowsEventKind(type);
    if (rows !== undefined) return { kind: 'rows', rows: decodeRowsHeader(r, rows.kind, rows.version, this.tableIdWidth(type)) };
    switch (type) {
      case EventType.ROTATE: {
        const position = Number(r.u64());
        return { kind: 'rotate', position, file: r.rest().toString('utf8') };
      }
      case EventType.QUERY: {
        // QUERY post-header => thread_id:4 exec_time:4 db_len:1 error_code:2 status_vars_len:2
        const start = r.pos;
        const threadId = r.u32();
        const execTime = r.u32();
        const dbLength = r.u8();
        const errorCode = r.u16();
        const statusLength = r.u16();
        r.pos = start + (this.postHeaderLength(type) ?? 13);
        r.skip(statusLength);
        const database = r.string(dbLength);
        r.skip(1);
        return { kind: 'query', threadId, execTime, errorCode, database, sql: r.rest().toString('utf8') };
      }
      case EventType.XID:
        return { kind: 'xid', xid: r.u64() };
      case EventType.TABLE_MAP:
        return { kind: 'table-map', map: decodeTableMap(r, this.tableIdWidth(type), this.mariaDb) };
      case EventType.GTID:
      case EventType.ANONYMOUS_GTID: {
        // GTID => flags:1 sid:16 gno:8 [logical clock and timestamps follow; not needed]
        r.skip(1);
        const sid = formatUuid(r.bytes(16));
        const gno = r.i64();
        return { kind: 'mysql-gtid', sid, gno, anonymous: type === EventType.ANONYMOUS_GTID };
      }
      case EventType.PREVIOUS_GTIDS:
        return { kind: 'previous-gtids', set: MysqlGtidSet.decode(r) };
      case EventType.MARIADB_GTID: {
        // MARIADB_GTID => seq_no:8 domain_id:4 flags:1 [commit_id:8 if FL_GROUP_COMMIT_ID]
        const seq = r.u64();
        const domain = r.u32();
        const flags = r.u8();
        return { kind: 'mariadb-gtid', gtid: { domain, server: header.serverId, seq }, flags, standalone: (flags & MARIA_FL_STANDALONE) !== 0 };
      }
      case EventType.MARIADB_GTID_LIST: {
        // MARIADB_GTID_LIST => count:4 (low 28 bits) { domain:4 server:4 seq:8 }*
        const count = r.u32() & 0x0fffffff;
        const gtids: MariaGtid[] = [];
        for (let i = 0; i < count; i++) gtids.push({ domain: r.u32(), server: r.u32(), seq: r.u64() });
        return { kind: 'mariadb-gtid-list', gtids };
      }
      case EventType.MARIADB_ANNOTATE_ROWS:
        return { kind: 'annotate-rows', sql: r.rest().toString('utf8') };
      case EventType.ROWS_QUERY:
        // ROWS_QUERY => length:1 (truncated, ignored) query:rest
        r.skip(1);
        return { kind: 'rows-query', sql: r.rest().toString('utf8') };
      case EventType.MARIADB_BINLOG_CHECKPOINT: {
        const length = r.u32();
        return { kind: 'binlog-checkpoint', file: r.string(length) };
      }
      case EventType.HEARTBEAT:
        return { kind: 'heartbeat', file: r.rest().toString('utf8') };
      case EventType.HEARTBEAT_V2:
        return { kind: 'heartbeat', file: '' };
      default:
        return { kind: 'skipped', type };
    }
  }
}

/** Event types the server sends without a checksum even when checksums are on. */
function isUnchecksummed(_type: number): boolean {
  return false;
}

function verify(event: Buffer, header: EventHeader): void {
  const expected = event.readUInt32LE(event.length - 4);
  const actual = crc32(event.subarray(0, event.length - 4));
  if (expected !== actual) throw new ChecksumMismatchError(header, expected, actual);
}
