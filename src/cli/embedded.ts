import { createServer } from 'node:net';
import type { Logger } from '../sdk/logger.ts';

export interface RunningBroker {
  bootstrap: string;
  dataDir: string;
  stop(): Promise<void>;
}

export const DEFAULT_BROKER_PORT = 9092;

/**
 * Starts the embedded broker for pipelines that name no `kafka.brokers`. Port 9092 is preferred so
 * the address is stable between runs; when it is taken (a real Kafka, another run) a free port is
 * used and printed instead.
 */
export async function startEmbeddedBroker(opts: { dataDir: string; port: number | undefined; logger: Logger }): Promise<RunningBroker> {
  const { EmbeddedBroker } = await import('../broker/index.ts');
  const port = opts.port ?? ((await isPortFree(DEFAULT_BROKER_PORT)) ? DEFAULT_BROKER_PORT : 0);
  const broker = await EmbeddedBroker.start({ dataDir: opts.dataDir, port, logger: opts.logger.child({ broker: 'embedded' }) });
  return { bootstrap: broker.bootstrap, dataDir: opts.dataDir, stop: () => broker.stop() };
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
