import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TributaryError, errorMessage, type Logger, type SourceRecord, type SourceTask, type SourceTaskContext } from '../../src/sdk/index.ts';
import { SYSLOG_DEFAULTS, type SyslogSourceConfig } from './config.ts';
import { FramingError, SyslogFramer } from './tcp-framing.ts';

/** Header naming the sender, `address:port`. */
export const PEER_HEADER = 'tributary.syslog.peer';
/** Header naming the transport, `tcp` or `udp`. */
export const TRANSPORT_HEADER = 'tributary.syslog.transport';

interface Received {
  text: string;
  peer: string;
  transport: 'tcp' | 'udp';
  at: number;
}

/**
 * Receives syslog messages over TCP and UDP and returns each as a record whose value is the message
 * text (parse it with the `parse-syslog` transform).
 *
 * Delivery: syslog has no acknowledgements and no replay, so what this task holds between a receive
 * and the commit of its batch is lost if the process dies: at most once for those messages, exactly
 * once into Kafka for everything committed. Positions (`{ received }`, a counter) are written like any
 * source's but mean nothing on restart. Back-pressure: when `maxBuffered` messages wait, TCP
 * connections are paused until a poll drains them; UDP datagrams arriving then are dropped and counted
 * (a warning per poll says how many).
 */
export class SyslogSourceTask implements SourceTask {
  private readonly config: SyslogSourceConfig;
  private readonly logger: Logger;
  private tcp: Server | undefined;
  private udp: UdpSocket | undefined;
  private readonly connections = new Set<Socket>();
  private readonly paused = new Set<Socket>();
  private queue: Received[] = [];
  private dropped = 0;
  private received = 0;
  private wake: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly ctx: SourceTaskContext<SyslogSourceConfig>) {
    this.config = { ...SYSLOG_DEFAULTS, ...ctx.config };
    this.logger = ctx.logger;
  }

  /** The ports actually bound (useful with port 0). */
  get addresses(): { tcp?: number; udp?: number } {
    const out: { tcp?: number; udp?: number } = {};
    const t = this.tcp?.address();
    if (t !== null && typeof t === 'object') out.tcp = (t as AddressInfo).port;
    if (this.udp !== undefined) out.udp = this.udp.address().port;
    return out;
  }

  async start(): Promise<void> {
    const { host, tcpPort, udpPort } = this.config;
    if (tcpPort === null && udpPort === null) throw new TributaryError('CONFIG_INVALID', 'configuring the syslog source: tcpPort and udpPort are both null; enable at least one');
    try {
      if (tcpPort !== null) this.tcp = await this.listenTcp(host, tcpPort);
      if (udpPort !== null) this.udp = await this.listenUdp(host, udpPort);
    } catch (err) {
      await this.stop();
      throw new TributaryError('SOURCE_FAILED', `starting the syslog listeners on ${host}: ${errorMessage(err)}`, { cause: err, retriable: false });
    }
    this.logger.info({ host, ...this.addresses }, 'syslog source listening');
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    if (this.queue.length === 0 && !signal.aborted && !this.stopped) {
      const arrived = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      await Promise.race([arrived, this.ctx.clock.sleep(this.config.pollIntervalMs, signal).catch(() => undefined)]);
      this.wake = undefined;
    }
    if (this.dropped > 0) {
      this.logger.warn({ dropped: this.dropped }, 'UDP syslog messages dropped: the buffer was full (raise maxBuffered, or send over TCP for back-pressure)');
      this.dropped = 0;
    }
    const batch = this.queue.splice(0, this.config.maxPollRecords);
    if (this.queue.length < this.config.maxBuffered) this.resumeAll();
    return batch.map((m) => this.toRecord(m));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    for (const s of this.connections) s.destroy();
    this.connections.clear();
    const tcp = this.tcp;
    this.tcp = undefined;
    const udp = this.udp;
    this.udp = undefined;
    await Promise.all([
      tcp === undefined ? undefined : new Promise<void>((resolve) => tcp.close(() => resolve())),
      udp === undefined ? undefined : new Promise<void>((resolve) => udp.close(() => resolve())),
    ]);
  }

  private toRecord(m: Received): SourceRecord {
    this.received++;
    return {
      topic: this.config.topic,
      key: null,
      value: m.text,
      timestamp: m.at,
      headers: [
        { key: PEER_HEADER, value: m.peer },
        { key: TRANSPORT_HEADER, value: m.transport },
      ],
      sourcePartition: { syslog: `${this.config.host}` },
      sourceOffset: { received: this.received },
    };
  }

  private enqueue(m: Received): boolean {
    if (this.queue.length >= this.config.maxBuffered) return false;
    this.queue.push(m);
    this.wake?.();
    return true;
  }

  private resumeAll(): void {
    for (const s of this.paused) s.resume();
    this.paused.clear();
  }

  private listenTcp(host: string, port: number): Promise<Server> {
    const server = createServer((socket) => this.serve(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.logger.error({ err: errorMessage(err) }, 'syslog TCP listener failed'));
        resolve(server);
      });
    });
  }

  private serve(socket: Socket): void {
    this.connections.add(socket);
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const framer = new SyslogFramer(this.config.maxMessageBytes);
    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = framer.push(chunk);
      } catch (err) {
        if (!(err instanceof FramingError)) throw err;
        this.logger.warn({ peer, err: err.message }, 'closing a syslog TCP connection with broken framing');
        socket.destroy();
        return;
      }
      const at = this.ctx.clock.now();
      for (const m of messages) {
        // Accepted even past maxBuffered: the bytes are already here. The socket pauses instead.
        this.queue.push({ text: m.toString('utf8'), peer, transport: 'tcp', at });
      }
      if (messages.length > 0) this.wake?.();
      if (this.queue.length >= this.config.maxBuffered) {
        socket.pause();
        this.paused.add(socket);
      }
    });
    socket.on('error', (err) => this.logger.debug({ peer, err: errorMessage(err) }, 'syslog TCP connection error'));
    socket.on('close', () => {
      this.connections.delete(socket);
      this.paused.delete(socket);
    });
  }

  private listenUdp(host: string, port: number): Promise<UdpSocket> {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.on('message', (msg, rinfo) => {
      if (msg.length > this.config.maxMessageBytes) {
        this.dropped++;
        return;
      }
      let end = msg.length;
      while (end > 0 && (msg[end - 1] === 0x0a || msg[end - 1] === 0x0d || msg[end - 1] === 0x00)) end--;
      if (!this.enqueue({ text: msg.subarray(0, end).toString('utf8'), peer: `${rinfo.address}:${rinfo.port}`, transport: 'udp', at: this.ctx.clock.now() })) this.dropped++;
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.logger.error({ err: errorMessage(err) }, 'syslog UDP listener failed'));
        resolve(socket);
      });
    });
  }
}
