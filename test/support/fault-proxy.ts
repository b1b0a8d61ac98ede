import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { EmbeddedBroker } from '../../src/broker/index.ts';
import { silentLogger } from '../../src/sdk/index.ts';

/**
 * A TCP proxy in front of a Kafka broker that can lose one response on purpose: the request reaches
 * the broker (so it takes effect there), then the connection is cut before the client sees the
 * answer. That is the failure that makes an outcome unknown to a client (a commit that succeeded on
 * the broker but failed in the client), which no amount of killing processes produces on demand.
 *
 * The broker must advertise the proxy's port (EmbeddedBroker `advertisedPort`), so every connection
 * a client opens after Metadata goes through the proxy too.
 *
 * Frames are read in both directions as Kafka frames: size (int32), then for requests api key
 * (int16), api version (int16), correlation id (int32); for responses the correlation id (int32).
 */
export interface FaultProxy {
  readonly port: number;
  /** Where to forward; set once the broker listens. */
  target: { host: string; port: number } | undefined;
  /**
   * Arms one fault: the `occurrence`-th request (1-based, counted from now across all connections)
   * with this api key is forwarded, and its connection is cut when the broker's response arrives.
   */
  loseResponse(apiKey: number, occurrence: number): void;
  /** Responses lost so far. */
  readonly cuts: number;
  /** Requests forwarded so far, by api key. */
  readonly requests: ReadonlyMap<number, number>;
  close(): Promise<void>;
}

interface Rule {
  apiKey: number;
  remaining: number;
}

export async function startFaultProxy(): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  let rule: Rule | undefined;
  let cuts = 0;
  const requests = new Map<number, number>();
  const proxy: FaultProxy = {
    requests,
    port: 0,
    target: undefined,
    loseResponse(apiKey, occurrence) {
      rule = { apiKey, remaining: occurrence };
    },
    get cuts() {
      return cuts;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((client) => {
    const target = proxy.target;
    if (target === undefined) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    sockets.add(client);
    sockets.add(upstream);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', cut);
    upstream.on('error', cut);
    /** Correlation ids on this connection whose response is to be lost. */
    const doomed = new Set<number>();
    client.on(
      'data',
      frames((frame) => {
        const apiKey = frame.readInt16BE(4);
        const correlationId = frame.readInt32BE(8);
        requests.set(apiKey, (requests.get(apiKey) ?? 0) + 1);
        if (rule !== undefined && rule.apiKey === apiKey && --rule.remaining === 0) {
          rule = undefined;
          doomed.add(correlationId);
        }
        upstream.write(frame);
      }),
    );
    upstream.on(
      'data',
      frames((frame) => {
        if (doomed.has(frame.readInt32BE(4))) {
          cuts++;
          cut();
          return;
        }
        client.write(frame);
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no port');
  Object.defineProperty(proxy, 'port', { value: address.port });
  return proxy;
}

/** Reassembles size-prefixed frames from a stream; `onFrame` gets each whole frame, size included. */
function frames(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const size = pending.readInt32BE(0);
      if (pending.length < 4 + size) break;
      onFrame(pending.subarray(0, 4 + size));
      pending = pending.subarray(4 + size);
    }
  };
}

/**
 * An embedded broker on a temp data dir behind a fresh fault proxy: the broker advertises the
 * proxy's port, so every connection a client opens after Metadata goes through the proxy. `close()`
 * stops both (broker first).
 */
export async function startProxiedEmbeddedBroker(dataDir: string): Promise<{ proxy: FaultProxy; broker: EmbeddedBroker; close(): Promise<void> }> {
  const proxy = await startFaultProxy();
  try {
    const broker = await EmbeddedBroker.start({ dataDir, port: 0, advertisedPort: proxy.port, logger: silentLogger });
    proxy.target = { host: '127.0.0.1', port: broker.port };
    return {
      proxy,
      broker,
      close: async () => {
        await broker.stop().catch(() => undefined);
        await proxy.close();
      },
    };
  } catch (err) {
    await proxy.close();
    throw err;
  }
}

/** Kafka api keys of the requests tests lose responses of. */
export const API_KEY = { PRODUCE: 0, END_TXN: 26, TXN_OFFSET_COMMIT: 28 } as const;
