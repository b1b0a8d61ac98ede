/** Replication command packets (the command byte is added by ClientConnection.sendCommand). */
export const COM_REGISTER_SLAVE = 0x15;
export const COM_BINLOG_DUMP = 0x12;
export const COM_BINLOG_DUMP_GTID = 0x1e;

/** COM_BINLOG_DUMP flag (MariaDB): also send ANNOTATE_ROWS events, which carry the statement text. */
export const BINLOG_SEND_ANNOTATE_ROWS_EVENT = 0x02;
/** COM_BINLOG_DUMP_GTID flag: the request carries a GTID set to start after. */
export const BINLOG_THROUGH_GTID = 0x04;

function shortString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length > 255) throw new Error(`"${s.slice(0, 20)}..." is longer than 255 bytes`);
  return Buffer.concat([Buffer.from([b.length]), b]);
}

/* COM_REGISTER_SLAVE => server_id:4 hostname:len1 user:len1 password:len1 port:2 rank:4 master_id:4
   The user and password fields are informational (SHOW SLAVE HOSTS); they are sent empty on purpose,
   so the replication password never travels twice. */
export function registerReplicaBody(serverId: number, hostname: string, port: number): Buffer {
  const tail = Buffer.alloc(2 + 4 + 4);
  tail.writeUInt16LE(port & 0xffff, 0);
  return Buffer.concat([u32(serverId), shortString(hostname), shortString(''), shortString(''), tail]);
}

/* COM_BINLOG_DUMP => position:4 flags:2 server_id:4 filename:EOF */
export function binlogDumpBody(serverId: number, file: string, position: number, flags: number): Buffer {
  const b = Buffer.alloc(10);
  b.writeUInt32LE(position >>> 0, 0);
  b.writeUInt16LE(flags, 4);
  b.writeUInt32LE(serverId >>> 0, 6);
  return Buffer.concat([b, Buffer.from(file, 'utf8')]);
}

/* COM_BINLOG_DUMP_GTID => flags:2 server_id:4 filename_len:4 filename position:8 [data_len:4 gtid_set] */
export function binlogDumpGtidBody(serverId: number, file: string, position: number, gtidSet: Buffer): Buffer {
  const name = Buffer.from(file, 'utf8');
  const head = Buffer.alloc(10);
  head.writeUInt16LE(BINLOG_THROUGH_GTID, 0);
  head.writeUInt32LE(serverId >>> 0, 2);
  head.writeUInt32LE(name.length, 6);
  const pos = Buffer.alloc(8);
  pos.writeBigUInt64LE(BigInt(position));
  return Buffer.concat([head, name, pos, u32(gtidSet.length), gtidSet]);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}
