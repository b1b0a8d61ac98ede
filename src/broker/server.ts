/**
 * The broker's TCP side: accepts connections, cuts the byte stream into size-prefixed request frames,
 * hands each frame to the router and writes responses back.
 *
 * Invariants:
 * - Responses leave a connection in request order, even when handlers finish out of order (a Fetch
 *   long-poll followed by a Metadata request): finished responses wait in a per-connection queue.
 * - A frame that is oversized, negative-sized or unparseable, or asks for an API version the broker
 *   does not serve (other than ApiVersions, which gets KIP-511's answer), closes that connection
 *   only, with a logged reason; no input can throw out of a socket callback and take the broker down.
 * - Backpressure: while the socket's write buffer is full, or too many requests are in flight, the
 *   connection stops reading, so a slow reader cannot make the broker buffer without bound.
 */
import net from 'node:net';
import type { Logger } from '../sdk/logger.ts';
import { ProtocolError } from './protocol/protocol-error.ts';
import type { ConnectionInfo, RouteResult } from './handler/router.ts';

export interface KafkaServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  maxFrameBytes: number;
  maxInFlightPerConnection: number;
  logger: Logger;
  route: (frame: Buffer, conn: ConnectionInfo) => RouteResult;
}

const SIZE_PREFIX = 4;

interface Slot {
  done: boolean;
  chunks: Buffer[] | null;
}

class Connection {
  private readonly pending: Buffer[] = [];
  private buffered = 0;
  private readonly queue: Slot[] = [];
  private readonly abort = new AbortController();
  private waitingForDrain = false;
  private closed = false;
  readonly info: ConnectionInfo;

  constructor(
    private readonly socket: net.Socket,
    private readonly opts: KafkaServerOptions,
    private readonly logger: Logger,
  ) {
    this.info = { clientHost: socket.remoteAddress ?? '', signal: this.abort.signal };
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('drain', () => {
      this.waitingForDrain = false;
      this.updateFlow();
    });
    socket.on('error', (err) => this.logger.debug({ err }, 'connection error'));
    socket.on('close', () => {
      this.closed = true;
      this.abort.abort(new Error('connection closed'));
      this.logger.debug({}, 'connection closed');
    });
  }

  destroy(): void {
    this.closed = true;
    this.abort.abort(new Error('connection closed'));
    this.socket.destroy();
  }

  private closeWith(reason: string, err?: unknown): void {
    if (this.closed) return;
    this.logger.warn(err === undefined ? { reason } : { reason, err }, `closing connection: ${reason}`);
    this.destroy();
  }

  private onData(data: Buffer): void {
    if (this.closed) return;
    this.pending.push(data);
    this.buffered += data.length;
    while (!this.closed && this.buffered >= SIZE_PREFIX) {
      const size = this.peekSize();
      if (size < 0 || size > this.opts.maxFrameBytes) {
        this.closeWith(size < 0 ? `frame size ${size} is negative` : `frame of ${size} bytes exceeds the ${this.opts.maxFrameBytes}-byte maximum`);
        return;
      }
      if (this.buffered < SIZE_PREFIX + size) return;
      this.dispatch(this.take(SIZE_PREFIX + size).subarray(SIZE_PREFIX));
    }
  }

  private peekSize(): number {
    const first = this.pending[0] as Buffer;
    if (first.length >= SIZE_PREFIX) return first.readInt32BE(0);
    return this.take(SIZE_PREFIX, true).readInt32BE(0);
  }

  /** Removes `n` bytes from the front of the buffered input (or copies them, with `peek`). */
  private take(n: number, peek = false): Buffer {
    const first = this.pending[0] as Buffer;
    if (first.length >= n) {
      if (peek) return first.subarray(0, n);
      if (first.length === n) this.pending.shift();
      else this.pending[0] = first.subarray(n);
      this.buffered -= n;
      return first.subarray(0, n);
    }
    const joined = Buffer.concat(this.pending, this.buffered);
    const out = joined.subarray(0, n);
    if (!peek) {
      this.pending.length = 0;
      if (joined.length > n) this.pending.push(joined.subarray(n));
      this.buffered -= n;
    } else {
      this.pending.length = 0;
      this.pending.push(joined);
    }
    return out;
  }

  private dispatch(frame: Buffer): void {
    const slot: Slot = { done: false, chunks: null };
    this.queue.push(slot);
    let result: RouteResult;
    try {
      result = this.opts.route(frame, this.info);
    } catch (err) {
      this.fail(err);
      return;
    }
    result.then(
      (chunks) => {
        slot.done = true;
        slot.chunks = chunks;
        this.flush();
      },
      (err: unknown) => this.fail(err),
    );
    this.updateFlow();
  }

  private fail(err: unknown): void {
    if (err instanceof ProtocolError) this.closeWith(`${err.kind} request: ${err.message}`);
    else {
      this.logger.error({ err }, 'request handler failed; closing the connection');
      this.destroy();
    }
  }

  private flush(): void {
    if (this.closed) return;
    this.socket.cork();
    while (this.queue.length > 0 && (this.queue[0] as Slot).done) {
      const { chunks } = this.queue.shift() as Slot;
      if (chunks === null) continue;
      let size = 0;
      for (const c of chunks) size += c.length;
      const prefix = Buffer.allocUnsafe(SIZE_PREFIX);
      prefix.writeInt32BE(size, 0);
      let ok = this.socket.write(prefix);
      for (const c of chunks) ok = this.socket.write(c) && ok;
      if (!ok) this.waitingForDrain = true;
    }
    this.socket.uncork();
    this.updateFlow();
  }

  private updateFlow(): void {
    if (this.closed) return;
    const stop = this.waitingForDrain || this.queue.length >= this.opts.maxInFlightPerConnection;
    if (stop && !this.socket.isPaused()) this.socket.pause();
    else if (!stop && this.socket.isPaused()) this.socket.resume();
  }
}

export class KafkaServer {
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly server: net.Server,
    private readonly opts: KafkaServerOptions,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static listen(opts: KafkaServerOptions): Promise<KafkaServer> {
    const server = net.createServer({ pauseOnConnect: false });
    const ks = new KafkaServer(server, opts);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        server.on('error', (err) => opts.logger.error({ err }, 'server socket error'));
        resolve(ks);
      });
    });
  }

  get address(): { host: string; port: number } {
    const a = this.server.address();
    if (a === null || typeof a === 'string') throw new Error('server is not listening on a TCP port');
    return { host: a.address, port: a.port };
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private accept(socket: net.Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const logger = this.opts.logger.child({ connection: this.nextId++, peer: `${socket.remoteAddress}:${socket.remotePort}` });
    const conn = new Connection(socket, this.opts, logger);
    this.connections.add(conn);
    socket.on('close', () => this.connections.delete(conn));
    logger.debug({}, 'connection accepted');
  }

  /** Stops accepting, drops every connection (aborting long polls) and resolves once closed. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const c of this.connections) c.destroy();
    });
    return this.closing;
  }
}
