import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from '../../src/sdk/clock.ts';
import { TributaryError, errorMessage } from '../../src/sdk/errors.ts';
import type { Logger } from '../../src/sdk/logger.ts';
import { probeDocker } from './docker.ts';
import { startContainerKafka } from './kafka/container.ts';
import { checkJars, pomKafkaVersion, startJarsKafka } from './kafka/jars.ts';
import { waitUntilServing } from './kafka/ready.ts';
import { streamLogger } from './logger.ts';

/**
 * Real Apache Kafka for integration tests, from the first source available, in this order:
 *
 * 1. `env`: `KAFKA_BROKERS=host:port[,host:port]` names a running cluster; it is used as is (checked
 *    to be serving, never started or stopped).
 * 2. `testcontainers`: a Docker engine answers a ping; the apache/kafka image runs as one KRaft node.
 * 3. `jars`: Java 17+ (and Maven, on the first run) are installed; Kafka's jars come from Maven
 *    Central into ~/.m2 once, and a single KRaft node runs on 127.0.0.1 in a temp dir.
 *
 * When none is available it throws HARNESS_UNAVAILABLE saying what to install. A test run without
 * Kafka fails; it never passes by skipping.
 */

export type KafkaHarnessKind = 'env' | 'testcontainers' | 'jars';

export interface KafkaHarness {
  /** Bootstrap addresses, `host:port`. */
  brokers: string[];
  kind: KafkaHarnessKind;
  /** The Kafka version, when this harness started the broker. */
  version?: string;
  /** The broker's log (`jars` only), for a test to quote when something looks wrong. */
  logFile?: string;
  /** Stops and removes a broker this harness started (data included); a no-op for `env`. Safe twice. */
  stop(): Promise<void>;
  /**
   * Stops the broker (SIGTERM, clean shutdown) unless kill() already did, and starts it again on the
   * same address with the same data; resolves once it serves again. Absent for `env`.
   */
  restart?(): Promise<void>;
  /**
   * SIGKILLs the broker (no flush, no clean shutdown, like a crash) and resolves once it is gone. It
   * stays down until restart(). Absent for `env`.
   */
  kill?(): Promise<void>;
}

export interface StartKafkaOptions {
  /**
   * Sources to try, in this order. Default: all, `env` first. Tests that need their own broker (to
   * restart or kill it) pass `['testcontainers', 'jars']`, so a shared KAFKA_BROKERS is never used.
   */
  kinds?: readonly KafkaHarnessKind[];
  /** Environment to read (KAFKA_BROKERS, DOCKER_HOST, PATH, JAVA_HOME...). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines (first-run download, ready, timings). Default: stderr. */
  logger?: Logger;
  clock?: Clock;
  /** How long a broker may take to serve after its process starts. Default 120 s (cold JVM, 2 cores). */
  startTimeoutMs?: number;
  /** How long a clean shutdown may take before SIGKILL. Default 30 s. */
  stopTimeoutMs?: number;
  /** Broker JVM max heap. Default `512m`. */
  heap?: string;
  /** Broker settings added to or overriding the harness's (not applicable to `env`). */
  serverProperties?: Record<string, string>;
  /** Extra broker JVM flags for `jars`, e.g. `['-XX:TieredStopAtLevel=4']` for a benchmark wanting C2. */
  jvmOptions?: string[];
  /**
   * Where the resolved Maven classpath and the compiled watchdog are cached. Default:
   * $TRIBUTARY_KAFKA_CACHE_DIR, else node_modules/.cache/tributary-kafka in this repository.
   */
  cacheDir?: string;
  /** Docker image for `testcontainers`. Default: $KAFKA_IMAGE, else apache/kafka:<pom.xml's kafka.version>. */
  image?: string;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ALL_KINDS: readonly KafkaHarnessKind[] = ['env', 'testcontainers', 'jars'];

/** The Kafka version the harness starts (jars and the default image): `<kafka.version>` in test/harness/kafka/pom.xml. */
export function kafkaVersion(): string {
  return pomKafkaVersion();
}

export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaHarness> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? streamLogger('kafka', process.stderr);
  const clock = options.clock ?? systemClock;
  const kinds = options.kinds ?? ALL_KINDS;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const heap = options.heap ?? '512m';
  const serverProperties = options.serverProperties ?? {};
  const cacheDir = options.cacheDir ?? env.TRIBUTARY_KAFKA_CACHE_DIR ?? join(REPO_ROOT, 'node_modules', '.cache', 'tributary-kafka');
  const version = kafkaVersion();

  // Why each source was passed over, for the error when none is left.
  const skipped: string[] = [];
  for (const kind of kinds) {
    if (kind === 'env') {
      const list = (env.KAFKA_BROKERS ?? '')
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b !== '');
      if (list.length === 0) {
        skipped.push('env: KAFKA_BROKERS is not set');
        continue;
      }
      return useExistingCluster(list, Math.min(startTimeoutMs, 30_000), clock, logger, serverProperties);
    }
    if (kind === 'testcontainers') {
      const docker = await probeDocker(env);
      if (!docker.reachable) {
        skipped.push(`testcontainers: ${docker.reason}`);
        continue;
      }
      const image = options.image ?? env.KAFKA_IMAGE ?? `apache/kafka:${version}`;
      const kafka = await startContainerKafka({ image, logger, clock, startTimeoutMs, stopTimeoutMs, heap, serverProperties });
      return { kind: 'testcontainers', version: image.split(':')[1], ...kafka };
    }
    const toolchain = await checkJars(env, cacheDir);
    if ('unavailable' in toolchain) {
      skipped.push(`jars: ${toolchain.unavailable}`);
      continue;
    }
    const jvmOptions = options.jvmOptions ?? [];
    const kafka = await startJarsKafka(toolchain, { env, logger, clock, cacheDir, startTimeoutMs, stopTimeoutMs, heap, serverProperties, jvmOptions });
    return { kind: 'jars', brokers: kafka.brokers, version: kafka.version, logFile: kafka.logFile, stop: kafka.stop, restart: kafka.restart, kill: kafka.kill };
  }
  throw new TributaryError('HARNESS_UNAVAILABLE', `starting Kafka for the tests: none of ${kinds.join(', ')} is available. ${howToGetKafka(kinds, version)}\nChecked: ${skipped.join('; ')}`, {
    details: { kinds, skipped },
  });
}

function howToGetKafka(kinds: readonly KafkaHarnessKind[], version: string): string {
  const ways: string[] = [];
  if (kinds.includes('jars')) {
    ways.push(`install Java 17+ and Maven 3.6+ (e.g. \`apt-get install openjdk-17-jdk-headless maven\`); the first run fetches Apache Kafka ${version} from Maven Central (~45 MB)`);
  }
  if (kinds.includes('testcontainers')) ways.push(`start a Docker engine (testcontainers then runs apache/kafka:${version})`);
  if (kinds.includes('env')) ways.push('set KAFKA_BROKERS=host:port[,host:port] to use a running Kafka cluster');
  return `To run these tests, ${ways.join(', or ')}.`;
}

async function useExistingCluster(brokers: string[], timeoutMs: number, clock: Clock, logger: Logger, serverProperties: Record<string, string>): Promise<KafkaHarness> {
  if (Object.keys(serverProperties).length > 0) {
    logger.warn({ ignored: Object.keys(serverProperties) }, 'serverProperties do not apply to a cluster named by KAFKA_BROKERS');
  }
  try {
    await waitUntilServing(brokers, { timeoutMs, clock });
  } catch (err) {
    throw new TributaryError('HARNESS_UNAVAILABLE', `using KAFKA_BROKERS=${brokers.join(',')}: ${errorMessage(err)}`, { cause: err });
  }
  logger.info({ brokers }, 'using the Kafka cluster named by KAFKA_BROKERS');
  return { kind: 'env', brokers, stop: async () => {} };
}
