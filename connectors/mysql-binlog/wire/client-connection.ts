import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { CACHING_SHA2_PASSWORD, authResponse, rsaEncryptedPassword, trimScramble } from './auth.ts';
import { ByteReader } from './byte-reader.ts';
import { PacketChannel } from './packet-channel.ts';
import { EOF_MARKER, ERR, OK, checkError, isEof, parseError } from './server-packets.ts';

/* Capability flags (Protocol::CapabilityFlags). */
const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_LONG_FLAG = 0x4;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_TRANSACTIONS = 0x2000;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_MULTI_RESULTS = 0x20000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;

const UTF8MB4_GENERAL_CI = 45;
const MAX_PACKET = 0x40000000;

export type TlsMode = 'disabled' | 'preferred' | 'required' | 'verify';

export interface ConnectOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  tls: TlsMode;
  /** CA bundle (PEM) for `tls: verify`; the system store when absent. */
  tlsCa?: string;
  connectTimeoutMs: number;
  highWaterBytes: number;
}

export interface ServerHello {
  serverVersion: string;
  connectionId: number;
  isMariaDb: boolean;
}

/** One row of a text result set; NULL is null. */
export type TextRow = Array<string | null>;

/**
 * A minimal MySQL client connection: handshake (protocol 10), TLS upgrade, mysql_native_password and
 * caching_sha2_password (fast path, and full authentication over TLS or with the server's RSA key),
 * COM_QUERY, and raw command packets for the replication commands. Everything else (prepared
 * statements, compression) is out of scope: ordinary queries go through mysql2.
 */
export class ClientConnection {
  readonly channel: PacketChannel;
  readonly hello: ServerHello;
  private tlsActive: boolean;

  constructor(channel: PacketChannel, hello: ServerHello, tlsActive: boolean) {
    this.channel = channel;
    this.hello = hello;
    this.tlsActive = tlsActive;
  }

  get encrypted(): boolean {
    return this.tlsActive;
  }

  static async open(options: ConnectOptions): Promise<ClientConnection> {
    const socket = await openSocket(options.host, options.port, options.connectTimeoutMs);
    const channel = new PacketChannel(socket, { highWaterBytes: options.highWaterBytes });
    try {
      return await withTimeout(handshake(channel, options), options.connectTimeoutMs, `authenticating to ${options.host}:${options.port}`);
    } catch (err) {
      channel.close();
      throw err;
    }
  }

  /** Sends one command packet (command byte + body) with the sequence reset. */
  sendCommand(command: number, body: Buffer = Buffer.alloc(0)): void {
    this.channel.resetSequence();
    this.channel.write(Buffer.concat([Buffer.from([command]), body]));
  }

  /** COM_QUERY; resolves with the rows of a result set (empty for statements without one). */
  async query(sql: string): Promise<TextRow[]> {
    this.sendCommand(0x03, Buffer.from(sql, 'utf8'));
    const first = checkError(await this.channel.read());
    if (first[0] === OK) return [];
    const columns = new ByteReader(first).lenenc();
    for (let i = 0; i < columns; i++) await this.channel.read();
    checkEof(await this.channel.read());
    const rows: TextRow[] = [];
    for (;;) {
      const packet = checkError(await this.channel.read());
      if (isEof(packet)) return rows;
      const r = new ByteReader(packet);
      const row: TextRow = [];
      for (let i = 0; i < columns; i++) {
        if (packet[r.pos] === 0xfb) {
          r.skip(1);
          row.push(null);
        } else {
          row.push(r.lenencString());
        }
      }
      rows.push(row);
    }
  }

  close(): void {
    this.channel.close();
  }
}

function checkEof(payload: Buffer): void {
  if (!isEof(payload)) throw new Error(`reading a result set: expected an EOF packet, got 0x${(payload[0] ?? 0).toString(16)}`);
}

function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${host}:${port}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (err: Error): void => {
      clearTimeout(timer);
      reject(new Error(`connecting to ${host}:${port}: ${err.message}`));
    };
    socket.once('error', onError);
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/* Initial Handshake Packet (protocol 10):
   protocol:1 server_version:NUL thread_id:4 scramble_1:8 filler:1 caps_lo:2 collation:1 status:2
   caps_hi:2 scramble_len:1 reserved:6 (MariaDB: +extended caps:4, else reserved:4) scramble_2:max(13,len-8) plugin:NUL */
interface Greeting {
  hello: ServerHello;
  capabilities: number;
  nonce: Buffer;
  plugin: string;
}

function parseGreeting(payload: Buffer): Greeting {
  if (payload[0] === ERR) throw parseError(payload);
  const r = new ByteReader(payload);
  const protocol = r.u8();
  if (protocol !== 10) throw new Error(`unsupported handshake protocol version ${protocol}`);
  const serverVersion = r.nulString('latin1');
  const connectionId = r.u32();
  const part1 = r.bytes(8);
  r.skip(1);
  let capabilities = r.u16();
  r.skip(1 + 2);
  capabilities = (capabilities | (r.u16() << 16)) >>> 0;
  const scrambleLength = r.u8();
  r.skip(10);
  const part2Length = Math.max(13, scrambleLength - 8);
  const part2 = r.bytes(Math.min(part2Length, r.remaining));
  const plugin = r.remaining > 0 ? r.nulString('latin1') : 'mysql_native_password';
  const nonce = trimScramble(Buffer.concat([part1, part2]));
  return { hello: { serverVersion, connectionId, isMariaDb: /mariadb/i.test(serverVersion) }, capabilities, nonce, plugin };
}

async function handshake(channel: PacketChannel, options: ConnectOptions): Promise<ClientConnection> {
  const greeting = parseGreeting(await channel.read());
  let capabilities =
    CLIENT_LONG_PASSWORD | CLIENT_LONG_FLAG | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
  capabilities &= greeting.capabilities | CLIENT_PROTOCOL_41;
  let tlsActive = false;
  const serverTls = (greeting.capabilities & CLIENT_SSL) !== 0;
  if (options.tls !== 'disabled' && serverTls) {
    capabilities |= CLIENT_SSL;
    channel.write(fixedHeader(capabilities));
    const tlsOptions: ConnectionOptions = {
      socket: channel.rawSocket as Socket,
      rejectUnauthorized: options.tls === 'verify',
      servername: options.host,
      ...(options.tlsCa !== undefined ? { ca: options.tlsCa } : {}),
    };
    channel.upgrade(await startTls(tlsOptions));
    tlsActive = true;
  } else if (options.tls === 'required' || options.tls === 'verify') {
    throw new Error(`the server at ${options.host}:${options.port} does not offer TLS, and tls is "${options.tls}"`);
  }
  let plugin = greeting.plugin;
  let nonce = greeting.nonce;
  const response = authResponse(plugin, options.password, nonce);
  const user = Buffer.from(options.user, 'utf8');
  channel.write(
    Buffer.concat([fixedHeader(capabilities), user, Buffer.from([0]), lenencPrefix(response.length), response, Buffer.from(plugin, 'latin1'), Buffer.from([0])]),
  );
  for (;;) {
    const packet = await channel.read();
    const kind = packet[0];
    if (kind === OK) return new ClientConnection(channel, greeting.hello, tlsActive);
    if (kind === ERR) throw parseError(packet);
    if (kind === EOF_MARKER) {
      // AuthSwitchRequest: plugin name NUL, then that plugin's nonce.
      const r = new ByteReader(packet, 1);
      plugin = r.nulString('latin1');
      nonce = trimScramble(r.rest());
      channel.write(authResponse(plugin, options.password, nonce));
      continue;
    }
    if (kind === 0x01 && plugin === CACHING_SHA2_PASSWORD) {
      const status = packet[1];
      if (status === 0x03) continue; // fast authentication succeeded; OK follows
      if (status === 0x04) {
        if (tlsActive) {
          channel.write(Buffer.concat([Buffer.from(options.password, 'utf8'), Buffer.from([0])]));
        } else {
          channel.write(Buffer.from([0x02])); // request the server's RSA public key
          const keyPacket = checkError(await channel.read());
          const pem = keyPacket.subarray(1).toString('latin1');
          channel.write(rsaEncryptedPassword(options.password, nonce, pem));
        }
        continue;
      }
    }
    throw new Error(`authenticating with ${plugin}: unexpected packet 0x${(kind ?? 0).toString(16)}`);
  }
}

/* HandshakeResponse41 / SSLRequest common part: caps:4 max_packet:4 collation:1 reserved:23 */
function fixedHeader(capabilities: number): Buffer {
  const b = Buffer.alloc(32);
  b.writeUInt32LE(capabilities >>> 0, 0);
  b.writeUInt32LE(MAX_PACKET, 4);
  b[8] = UTF8MB4_GENERAL_CI;
  return b;
}

export function lenencPrefix(n: number): Buffer {
  if (n < 0xfb) return Buffer.from([n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = 0xfc;
    b.writeUInt16LE(n, 1);
    return b;
  }
  const b = Buffer.alloc(4);
  b[0] = 0xfd;
  b.writeUIntLE(n, 1, 3);
  return b;
}

function startTls(options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(options, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
