import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../src/sdk/clock.ts';
import { TributaryError, errorMessage } from '../../../src/sdk/errors.ts';
import type { Logger } from '../../../src/sdk/logger.ts';
import { freePort } from '../ports.ts';
import { waitUntilServing } from './ready.ts';
import { imageEnvName, singleNodeTestSettings } from './settings.ts';

export interface ContainerKafkaOptions {
  /** e.g. `apache/kafka:4.4.0`. */
  image: string;
  logger: Logger;
  clock: Clock;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  heap: string;
  serverProperties: Record<string, string>;
}

export interface ContainerKafka {
  brokers: string[];
  stop(): Promise<void>;
  restart(): Promise<void>;
  kill(): Promise<void>;
}

/** Listener the broker and controller use inside the container; never published. */
const INTERNAL_PORT = 19092;
const CONTROLLER_PORT = 19093;

/**
 * Starts the official apache/kafka image as a single KRaft node with testcontainers.
 *
 * Why a GenericContainer and not @testcontainers/kafka's KafkaContainer: KafkaContainer (12.x) drives
 * Confluent's cp-kafka images (/etc/confluent/docker/run) and rejects apache/kafka tags ("4.4.0" is
 * below its minimum KRaft version "7.0.0"), while the point here is the same Apache Kafka the jars
 * path runs. The catch with the plain image is that clients need an advertised address that includes
 * the host port, known only after start; publishing the container port on the same fixed host port
 * (picked free beforehand) makes it known up front, and keeps it across restart().
 */
export async function startContainerKafka(options: ContainerKafkaOptions): Promise<ContainerKafka> {
  const { logger, clock } = options;
  const began = clock.now();
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const host = client.info.containerRuntime.host;
  const port = await freePort();
  const brokers = [`${host}:${port}`];

  const settings: Record<string, string> = {
    'node.id': '1',
    'process.roles': 'broker,controller',
    'controller.quorum.voters': `1@localhost:${CONTROLLER_PORT}`,
    listeners: `PLAINTEXT://0.0.0.0:${port},BROKER://0.0.0.0:${INTERNAL_PORT},CONTROLLER://0.0.0.0:${CONTROLLER_PORT}`,
    'advertised.listeners': `PLAINTEXT://${host}:${port},BROKER://localhost:${INTERNAL_PORT}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'BROKER',
    'controller.listener.names': 'CONTROLLER',
    // The image's own default; /tmp is writable for its non-root user.
    'log.dirs': '/tmp/kraft-combined-logs',
    ...singleNodeTestSettings(),
    ...options.serverProperties,
  };
  const environment: Record<string, string> = {
    CLUSTER_ID: randomBytes(16).toString('base64url'),
    KAFKA_HEAP_OPTS: `-Xms128m -Xmx${options.heap}`,
  };
  for (const [key, value] of Object.entries(settings)) environment[imageEnvName(key)] = value;

  logger.info({ image: options.image }, `starting ${options.image} with testcontainers`);
  let container;
  try {
    container = await new GenericContainer(options.image)
      .withExposedPorts({ container: port, host: port })
      .withEnvironment(environment)
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(options.startTimeoutMs)
      .start();
  } catch (err) {
    throw new TributaryError('HARNESS_UNAVAILABLE', `starting ${options.image} with testcontainers: ${errorMessage(err)}`, { cause: err });
  }
  const started = container;
  const ready = async (): Promise<void> => {
    try {
      await waitUntilServing(brokers, { timeoutMs: options.startTimeoutMs, clock });
    } catch (err) {
      const logs = await containerLogTail(started);
      throw new TributaryError('HARNESS_UNAVAILABLE', `waiting for ${options.image} at ${brokers.join(',')}: ${errorMessage(err)}\n--- last lines of the container log ---\n${logs}`, { cause: err });
    }
  };
  try {
    await ready();
  } catch (err) {
    await started.stop().catch(() => {});
    throw err;
  }
  logger.info({ brokers, seconds: (clock.now() - began) / 1000 }, `${options.image} (testcontainers) is serving`);

  let stopped = false;
  return {
    brokers,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await started.stop({ timeout: options.stopTimeoutMs });
    },
    restart: async () => {
      if (stopped) throw new TributaryError('INTERNAL', 'restarting Kafka: this harness was already stopped');
      // The data dir lives in the container's own filesystem, which a restart keeps. Docker's restart
      // also starts a container that kill() left exited; the port binding is fixed, so it stays.
      await started.restart({ timeout: options.stopTimeoutMs });
      await ready();
    },
    kill: async () => {
      if (stopped) throw new TributaryError('INTERNAL', 'killing Kafka: this harness was already stopped');
      // SIGKILL to the container's init process takes the whole container down at once, like a crash.
      await client.container.getById(started.getId()).kill({ signal: 'SIGKILL' });
    },
  };
}

async function containerLogTail(container: { logs(opts?: { tail?: number }): Promise<NodeJS.ReadableStream> }): Promise<string> {
  try {
    const stream = await container.logs({ tail: 60 });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve) => {
      stream.on('data', (c: Buffer | string) => chunks.push(Buffer.from(c)));
      stream.on('end', resolve);
      stream.on('error', () => resolve());
      // `logs` follows the container; stop reading once the backlog has had a moment to arrive.
      setTimeout(resolve, 2_000);
    });
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    return `(could not read the container log: ${errorMessage(err)})`;
  }
}
