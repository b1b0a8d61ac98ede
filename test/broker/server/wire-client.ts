/**
 * A bare Kafka wire client for tests: sends one request built from a version file's request layout
 * and decodes the response with its response layout. No negotiation, no retries: it speaks exactly
 * the bytes a test asks for, which is what protocol and robustness tests need.
 */
import net from 'node:net';
import { writeRequestHeader } from '../../../src/broker/protocol/header.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import type { Layout } from '../../../src/broker/protocol/schema.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

/** A version file's layouts: what a request needs written, and what its response reads as. */
export interface VersionFile<Req, Res> {
  request: Layout<unknown, Req>;
  response: Layout<Res, never>;
}

export class WireClient {
  private buffered = Buffer.alloc(0);
  private nextCorrelationId = 1;
  private readonly waiting = new Map<number, (frame: Buffer) => void>();
  private closedWith: Error | null = null;
  private readonly closeListeners: Array<(err: Error) => void> = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closedWith = new Error('connection closed');
      for (const l of this.closeListeners) l(this.closedWith);
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Resolves when the broker closes the connection. */
  closed(): Promise<Error> {
    if (this.closedWith) return Promise.resolve(this.closedWith);
    return new Promise((resolve) => this.closeListeners.push(resolve));
  }

  private onData(d: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, d]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const correlationId = frame.readInt32BE(0);
      this.waiting.get(correlationId)?.(frame);
      this.waiting.delete(correlationId);
    }
  }

  /** Writes raw bytes (for malformed-input tests). */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends a request and resolves with the raw response frame (correlation id first). */
  sendRaw(apiKey: number, apiVersion: number, flexible: boolean, body: (w: Writer) => void): Promise<Buffer> {
    const correlationId = this.nextCorrelationId++;
    const w = new Writer();
    writeRequestHeader(w, { apiKey, apiVersion, correlationId, clientId: 'wire-client' }, flexible);
    body(w);
    const payload = w.toBuffer();
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(payload.length, 0);
    return new Promise((resolve, reject) => {
      if (this.closedWith) {
        reject(this.closedWith);
        return;
      }
      this.waiting.set(correlationId, resolve);
      this.closeListeners.push(reject);
      this.socket.write(Buffer.concat([prefix, payload]));
    });
  }

  async send<Req, Res>(apiKey: number, apiVersion: number, file: VersionFile<Req, Res>, request: Req, o: { flexible?: boolean; flexibleResponseHeader?: boolean } = {}): Promise<Res> {
    const flexible = o.flexible ?? false;
    const frame = await this.sendRaw(apiKey, apiVersion, flexible, (w) => file.request.write(w, request));
    const r = new Reader(frame, 4);
    if (o.flexibleResponseHeader ?? flexible) r.skipTaggedFields();
    return file.response.read(r);
  }

  close(): void {
    this.socket.destroy();
  }
}
