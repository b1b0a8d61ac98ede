/**
 * The brokers a conformance suite runs against: the embedded broker (a fresh data directory per
 * suite) and real Apache Kafka (the run's shared broker from the harness, or a private one when the
 * case must restart it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBroker } from '../../../src/broker/index.ts';
import type { Logger } from '../../../src/sdk/logger.ts';
import { startKafka } from '../../harness/kafka.ts';
import { streamLogger } from '../../harness/logger.ts';

export interface BrokerTarget {
  readonly name: string;
  brokers(): string[];
  /** Stops and starts the broker on the same address with the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TargetSpec {
  readonly name: string;
  start(): Promise<BrokerTarget>;
}

/** Warnings and errors only, so a failing case shows what the broker complained about. */
function quietLogger(name: string): Logger {
  const loud = streamLogger(name, process.stderr);
  const quiet: Logger = { trace: () => {}, debug: () => {}, info: () => {}, warn: loud.warn, error: loud.error, child: () => quiet };
  return quiet;
}

export const embedded: TargetSpec = {
  name: 'embedded broker',
  async start() {
    const dataDir = await mkdtemp(join(tmpdir(), 'tributary-conformance-'));
    const logger = quietLogger('embedded-broker');
    let broker = await EmbeddedBroker.start({ dataDir, logger });
    const port = broker.port;
    return {
      name: 'embedded broker',
      brokers: () => [broker.bootstrap],
      async restart() {
        await broker.stop();
        broker = await EmbeddedBroker.start({ dataDir, logger, port });
      },
      async stop() {
        await broker.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** The integration run's shared Kafka (from `inject('kafkaBrokers')`); it cannot be restarted. */
export function sharedKafka(brokers: string[]): TargetSpec {
  return {
    name: 'Apache Kafka',
    start: () =>
      Promise.resolve({
        name: 'Apache Kafka',
        brokers: () => brokers,
        restart: () => Promise.reject(new Error('the shared Kafka cannot be restarted; use privateKafka')),
        stop: () => Promise.resolve(),
      }),
  };
}

/** A Kafka of its own (never the shared KAFKA_BROKERS), for cases that restart the broker. */
export const privateKafka: TargetSpec = {
  name: 'Apache Kafka',
  async start() {
    const kafka = await startKafka({ kinds: ['testcontainers', 'jars'], logger: quietLogger('kafka') });
    return {
      name: 'Apache Kafka',
      brokers: () => kafka.brokers,
      async restart() {
        if (!kafka.restart) throw new Error(`a ${kafka.kind} Kafka cannot be restarted`);
        await kafka.restart();
      },
      stop: () => kafka.stop(),
    };
  },
};
