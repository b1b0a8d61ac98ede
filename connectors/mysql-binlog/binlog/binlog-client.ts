import { hostname } from 'node:os';
import { MysqlGtidSet } from '../position/mysql-gtid-set.ts';
import { ClientConnection, type ConnectOptions } from '../wire/client-connection.ts';
import {
  BINLOG_SEND_ANNOTATE_ROWS_EVENT,
  COM_BINLOG_DUMP,
  COM_BINLOG_DUMP_GTID,
  COM_REGISTER_SLAVE,
  binlogDumpBody,
  binlogDumpGtidBody,
  registerReplicaBody,
} from '../wire/replication-commands.ts';
import { EOF_MARKER, ERR, checkError, parseError } from '../wire/server-packets.ts';
import { ChecksumAlg } from './checksum.ts';
import { EventDecoder, type BinlogEvent } from './events.ts';

/** Where the server should start sending. */
export type DumpStart =
  | { kind: 'file'; file: string; position: number }
  /** MariaDB: the last GTID per domain already processed (`@slave_connect_state`). */
  | { kind: 'mariadb-gtid'; state: string }
  /** MySQL: the GTID set already processed; the server sends every transaction outside it. */
  | { kind: 'mysql-gtid'; set: string };

export interface BinlogClientOptions extends ConnectOptions {
  /** Unique among the server's replicas; a second connection with the same id disconnects the first. */
  serverId: number;
  /** The server sends a heartbeat after this long without events, so a dead link is noticed. 0: off. */
  heartbeatIntervalMs: number;
}

/**
 * A replica connection: handshake, the session variables a replica sets, COM_REGISTER_SLAVE, then
 * COM_BINLOG_DUMP (or COM_BINLOG_DUMP_GTID on MySQL), after which the server streams one event per
 * packet until the connection closes.
 *
 * - `@master_binlog_checksum` (and MySQL 8's `@source_binlog_checksum`) declare that this client
 *   understands checksums, so the server sends them and each event is verified;
 * - `@mariadb_slave_capability=4` (MARIA_SLAVE_CAPABILITY_GTID) makes MariaDB send its GTID events
 *   as such instead of rewriting them into BEGIN queries;
 * - `@slave_connect_state` is the MariaDB GTID position; strict mode and duplicate-ignoring are off
 *   because this reader keeps its own position.
 */
export class BinlogClient {
  readonly connection: ClientConnection;
  private readonly decoder: EventDecoder;
  private ended = false;

  private constructor(connection: ClientConnection, checksumAlg: number) {
    this.connection = connection;
    this.decoder = new EventDecoder(checksumAlg, connection.hello.isMariaDb);
  }

  static async open(options: BinlogClientOptions, start: DumpStart): Promise<BinlogClient> {
    const connection = await ClientConnection.open(options);
    try {
      const isMariaDb = connection.hello.isMariaDb;
      const [[checksum] = []] = await connection.query('SELECT @@global.binlog_checksum');
      const alg = checksum === 'CRC32' ? ChecksumAlg.CRC32 : ChecksumAlg.OFF;
      await connection.query('SET @master_binlog_checksum = @@global.binlog_checksum, @source_binlog_checksum = @@global.binlog_checksum');
      if (options.heartbeatIntervalMs > 0) {
        const ns = BigInt(options.heartbeatIntervalMs) * 1_000_000n;
        await connection.query(`SET @master_heartbeat_period = ${ns}, @source_heartbeat_period = ${ns}`);
      }
      if (isMariaDb) {
        await connection.query('SET @mariadb_slave_capability = 4');
        if (start.kind === 'mariadb-gtid') {
          await connection.query(`SET @slave_connect_state = ${sqlString(start.state)}`);
          await connection.query('SET @slave_gtid_strict_mode = 0, @slave_gtid_ignore_duplicates = 0');
        }
      } else if (start.kind === 'mariadb-gtid') {
        throw new Error('a MariaDB GTID position cannot be used with a MySQL server');
      }
      const client = new BinlogClient(connection, alg);
      connection.sendCommand(COM_REGISTER_SLAVE, registerReplicaBody(options.serverId, hostname().slice(0, 60), 0));
      checkError(await connection.channel.read());
      if (start.kind === 'mysql-gtid') {
        if (isMariaDb) throw new Error('a MySQL GTID set cannot be used with a MariaDB server');
        connection.sendCommand(COM_BINLOG_DUMP_GTID, binlogDumpGtidBody(options.serverId, '', 4, MysqlGtidSet.parse(start.set).encode()));
      } else if (start.kind === 'mariadb-gtid') {
        connection.sendCommand(COM_BINLOG_DUMP, binlogDumpBody(options.serverId, '', 4, BINLOG_SEND_ANNOTATE_ROWS_EVENT));
      } else {
        connection.sendCommand(COM_BINLOG_DUMP, binlogDumpBody(options.serverId, start.file, start.position, isMariaDb ? BINLOG_SEND_ANNOTATE_ROWS_EVENT : 0));
      }
      return client;
    } catch (err) {
      connection.close();
      throw err;
    }
  }

  /** The next event's raw bytes (header to checksum), or null when the server ended the stream. */
  async nextRaw(): Promise<Buffer | null> {
    if (this.ended) return null;
    const packet = await this.connection.channel.read();
    const first = packet[0];
    if (first === 0x00) return packet.subarray(1);
    if (first === ERR) throw parseError(packet);
    if (first === EOF_MARKER) {
      this.ended = true;
      return null;
    }
    throw new Error(`reading the binlog stream: unexpected packet starting 0x${(first ?? 0).toString(16)}`);
  }

  decode(raw: Buffer): BinlogEvent {
    return this.decoder.decode(raw);
  }

  async next(): Promise<BinlogEvent | null> {
    const raw = await this.nextRaw();
    return raw === null ? null : this.decode(raw);
  }

  close(): void {
    this.connection.close();
  }
}

/** A SQL string literal; positions are digits, dashes and commas, but quote them properly anyway. */
function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
