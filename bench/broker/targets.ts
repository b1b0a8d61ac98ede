/**
 * The brokers a benchmark measures. Each runs in its own process, so the client process (which takes
 * the measurements) is the same for both and never shares an event loop with the broker:
 * - `embedded`: `tributary broker` as users start it, on a fresh data directory (default settings:
 *   fsync once a second), log level warn.
 * - `kafka`: Apache Kafka from the test harness's jars, a single KRaft node, started the way
 *   kafka-server-start would run it (1 GiB heap, G1, the C2 compiler) rather than with the harness's
 *   small-and-quick-to-start test settings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../src/sdk/logger.ts';
import { startKafka } from '../../test/harness/kafka.ts';
import type { TargetName } from './options.ts';

export interface Target {
  readonly name: TargetName;
  /** What the report calls it, e.g. "embedded broker" or "Apache Kafka 4.4.0". */
  readonly label: string;
  readonly brokers: string[];
  stop(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../../src/cli/tributary.js', import.meta.url));
const START_TIMEOUT_MS = 60_000;

export async function startTarget(name: TargetName, progress: (line: string) => void): Promise<Target> {
  return name === 'embedded' ? startEmbedded(progress) : startApacheKafka(progress);
}

async function startEmbedded(progress: (line: string) => void): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tributary-bench-'));
  const child = spawn(process.execPath, [CLI, 'broker', '--data-dir', dataDir, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => progress(`embedded broker: ${d.toString().trim()}`));
  let bootstrap: string;
  try {
    bootstrap = await listeningAddress(child);
  } catch (err) {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  progress(`embedded broker listening on ${bootstrap} (pid ${child.pid}, data ${dataDir})`);
  return {
    name: 'embedded',
    label: 'embedded broker',
    brokers: [bootstrap],
    async stop() {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with host:port once the broker prints its listening line. */
function listeningAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`starting the embedded broker: no listening line within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /broker listening on (\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`starting the embedded broker: it exited with code ${code}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(killTimer);
}

async function startApacheKafka(progress: (line: string) => void): Promise<Target> {
  const logger = progressLogger('kafka', progress);
  const kafka = await startKafka({
    kinds: ['jars'],
    logger,
    heap: '1g',
    // After the harness's flags, so these win: C2 instead of C1 only, G1 instead of the serial GC.
    jvmOptions: ['-Xms1g', '-XX:TieredStopAtLevel=4', '-XX:-UseSerialGC', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20'],
  });
  return {
    name: 'kafka',
    label: `Apache Kafka ${kafka.version ?? ''}`.trim(),
    brokers: kafka.brokers,
    stop: () => kafka.stop(),
  };
}

/** The harness's info and warnings as progress lines; its debug chatter is dropped. */
function progressLogger(name: string, progress: (line: string) => void): Logger {
  const line = (obj: object, msg?: string): void => progress(`${name}: ${msg ?? ''} ${Object.keys(obj).length > 0 ? JSON.stringify(obj) : ''}`.trim());
  const logger: Logger = { trace: () => {}, debug: () => {}, info: line, warn: line, error: line, child: () => logger };
  return logger;
}
