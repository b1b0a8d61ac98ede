import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** Payloads of this size continue in the next packet (protocol: "sending more than 16 MB"). */
const MAX_PAYLOAD = 0xffffff;

export interface PacketChannelOptions {
  /**
   * Reading pauses while this many bytes of complete packets wait to be taken, so a fast server
   * cannot fill memory while the pipeline is slow; TCP flow control then holds the server back.
   */
  highWaterBytes: number;
}

/**
 * MySQL packet framing over a socket: `[length:3][sequence:1][payload]`, reassembling payloads split
 * at 16 MB. Packets are taken one at a time with `read()`; `write()` frames a payload with the next
 * sequence id. Invariant: the sequence id restarts at 0 with every command (`resetSequence()`), and
 * each packet read or written advances it by one, as the protocol requires.
 */
export class PacketChannel {
  private socket: Socket | TLSSocket;
  private readonly highWaterBytes: number;
  private inbound: Buffer = Buffer.alloc(0);
  private readonly ready: Buffer[] = [];
  private readyBytes = 0;
  private partial: Buffer[] = [];
  private waiter: { resolve: (p: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private sequence = 0;
  private paused = false;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onError = (err: Error): void => this.fail(err);
  private readonly onClose = (): void => this.fail(new Error('the server closed the connection'));

  constructor(socket: Socket | TLSSocket, options: PacketChannelOptions) {
    this.socket = socket;
    this.highWaterBytes = options.highWaterBytes;
    this.attach(socket);
  }

  /** Moves the channel onto a TLS socket wrapping the current one (after an SSLRequest). */
  upgrade(tlsSocket: TLSSocket): void {
    this.detach(this.socket);
    this.socket = tlsSocket;
    this.attach(tlsSocket);
  }

  get rawSocket(): Socket | TLSSocket {
    return this.socket;
  }

  resetSequence(): void {
    this.sequence = 0;
  }

  /** Frames and sends one payload, splitting it at 16 MB. */
  write(payload: Buffer): void {
    let offset = 0;
    for (;;) {
      const size = Math.min(MAX_PAYLOAD, payload.length - offset);
      const header = Buffer.alloc(4);
      header.writeUIntLE(size, 0, 3);
      header[3] = this.sequence & 0xff;
      this.sequence = (this.sequence + 1) & 0xff;
      this.socket.write(Buffer.concat([header, payload.subarray(offset, offset + size)]));
      offset += size;
      // A payload of exactly a multiple of 16 MB ends with an empty packet.
      if (size < MAX_PAYLOAD) break;
    }
  }

  /** The next complete payload. Rejects once the connection has failed or closed. */
  read(): Promise<Buffer> {
    const next = this.ready.shift();
    if (next !== undefined) {
      this.readyBytes -= next.length;
      if (this.paused && this.readyBytes < this.highWaterBytes / 2) {
        this.paused = false;
        this.socket.resume();
      }
      return Promise.resolve(next);
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Payloads already received and not yet read: lets a reader drain without awaiting each. */
  get buffered(): number {
    return this.ready.length;
  }

  close(): void {
    this.fail(new Error('the connection was closed by this client'));
    this.socket.destroy();
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private detach(socket: Socket | TLSSocket): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
  }

  private receive(chunk: Buffer): void {
    this.inbound = this.inbound.length === 0 ? chunk : Buffer.concat([this.inbound, chunk]);
    let offset = 0;
    while (this.inbound.length - offset >= 4) {
      const size = this.inbound.readUIntLE(offset, 3);
      if (this.inbound.length - offset < 4 + size) break;
      this.sequence = ((this.inbound[offset + 3] as number) + 1) & 0xff;
      const payload = this.inbound.subarray(offset + 4, offset + 4 + size);
      offset += 4 + size;
      if (size === MAX_PAYLOAD) {
        this.partial.push(payload);
        continue;
      }
      if (this.partial.length > 0) {
        this.partial.push(payload);
        this.deliver(Buffer.concat(this.partial));
        this.partial = [];
      } else {
        this.deliver(payload);
      }
    }
    this.inbound = offset === this.inbound.length ? Buffer.alloc(0) : this.inbound.subarray(offset);
  }

  private deliver(payload: Buffer): void {
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter.resolve(payload);
      return;
    }
    this.ready.push(payload);
    this.readyBytes += payload.length;
    if (!this.paused && this.readyBytes >= this.highWaterBytes) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private fail(err: Error): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(err);
  }
}
