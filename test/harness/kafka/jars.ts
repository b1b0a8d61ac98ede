import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../../src/sdk/clock.ts';
import { TributaryError, errorMessage } from '../../../src/sdk/errors.ts';
import type { Logger } from '../../../src/sdk/logger.ts';
import { findOnPath, killWithParent, processAlive, runCommand, tailFile, tailText } from '../child-process.ts';
import { freePort } from '../ports.ts';
import { waitUntilServing } from './ready.ts';
import { singleNodeTestSettings } from './settings.ts';

/** This folder: the Maven project, the watchdog's source and the broker's log4j2 configuration. */
const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));
const POM = join(HARNESS_DIR, 'pom.xml');
const WATCHDOG_SOURCE = join(HARNESS_DIR, 'ExitWithParent.java');
const LOG4J_CONFIG = join(HARNESS_DIR, 'log4j2.properties');

/** Temp dirs of brokers this harness started carry this prefix, so stale ones can be found and swept. */
const DIR_PREFIX = 'tributary-kafka-';
/** Kafka 4.x brokers are compiled for Java 17 (class file version 61). */
const MIN_JAVA = 17;

/** Kafka's main classes. Both are still the Scala entry points in kafka_2.13 4.x (checked for 4.4.0). */
const BROKER_MAIN = 'kafka.Kafka';
const STORAGE_TOOL_MAIN = 'kafka.tools.StorageTool';

/** The Kafka version the jars path runs: `<kafka.version>` in pom.xml, the single place it is set. */
export function pomKafkaVersion(): string {
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new TributaryError('INTERNAL', `reading ${POM}: no <kafka.version> property`);
  return match[1];
}

export interface JavaToolchain {
  java: string;
  javaMajor: number;
  /** Absent on a JRE; the broker then runs without the parent-death watchdog. */
  javac?: string;
  /** Only needed when the classpath is not cached yet. */
  mvn?: string;
}

/**
 * Whether the jars path can run here: Java 17+ ($JAVA_HOME first, as Maven does, then PATH), and
 * either Maven or an already cached classpath. Returns a reason instead of throwing, so the caller can
 * say what every option lacked.
 */
export async function checkJars(env: NodeJS.ProcessEnv, cacheDir: string): Promise<JavaToolchain | { unavailable: string }> {
  const fromHome = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : undefined;
  const java = fromHome && existsSync(fromHome) ? fromHome : findOnPath('java', env);
  if (java === undefined) return { unavailable: `java not found on PATH${env.JAVA_HOME ? ` nor in JAVA_HOME=${env.JAVA_HOME}` : ''}` };
  let versionOutput: string;
  try {
    versionOutput = (await runCommand(java, ['-version'], { env, timeoutMs: 30_000 })).output;
  } catch (err) {
    return { unavailable: `running ${java} -version: ${errorMessage(err)}` };
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return { unavailable: `could not read the Java version from: ${tailText(versionOutput, 3)}` };
  // Java 8 and older report "1.8.0_x".
  const javaMajor = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (javaMajor < MIN_JAVA) return { unavailable: `${java} is Java ${javaMajor}; Kafka 4.x needs Java ${MIN_JAVA}+` };
  const mvn = findOnPath('mvn', env);
  if (mvn === undefined && cachedClasspath(classpathCacheFile(pomKafkaVersion(), cacheDir)) === undefined) {
    return { unavailable: `Java ${javaMajor} found, but Maven (mvn) is not on PATH and no Kafka classpath is cached in ${cacheDir}` };
  }
  // javac next to the real java binary (PATH entries are often symlinks into /etc/alternatives).
  const javacBeside = join(dirname(realpathSync(java)), 'javac');
  const javac = existsSync(javacBeside) ? javacBeside : findOnPath('javac', env);
  return { java, javaMajor, javac, mvn };
}

export interface JarsKafkaOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clock: Clock;
  /** Holds the resolved classpath and the compiled watchdog, keyed by what they depend on. */
  cacheDir: string;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  /** JVM max heap, e.g. `512m`. */
  heap: string;
  /** Extra or overriding broker settings (server.properties). */
  serverProperties: Record<string, string>;
  /** Extra JVM flags, after the harness's own (so they override them). */
  jvmOptions: string[];
}

export interface JarsKafka {
  brokers: string[];
  version: string;
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  kill(): Promise<void>;
}

/**
 * Starts a single-node KRaft Kafka (broker and controller in one JVM) from Maven Central jars.
 * The caller has checked {@link checkJars}; any failure from here on is a real failure and
 * throws HARNESS_UNAVAILABLE with the broker's log tail, never a fallback.
 */
export async function startJarsKafka(toolchain: JavaToolchain, options: JarsKafkaOptions): Promise<JarsKafka> {
  const { logger, clock } = options;
  const began = clock.now();
  const version = pomKafkaVersion();
  const classpath = await kafkaClasspath(toolchain, version, options);
  const watchdogDir = await compileWatchdog(toolchain, options);
  sweepStaleDirs(logger);

  // A free port can be taken between our probe and the broker's bind; start afresh with new ports then.
  for (let attempt = 1; ; attempt++) {
    try {
      const kafka = await startBroker(toolchain, classpath, watchdogDir, version, options);
      logger.info({ brokers: kafka.brokers, seconds: (clock.now() - began) / 1000, dataDir: kafka.dataDir }, `Apache Kafka ${version} (jars) is serving`);
      return kafka;
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= 3) throw err;
      logger.warn({ attempt }, 'a chosen port was taken before Kafka bound it; retrying with new ports');
    }
  }
}

class PortTakenError extends Error {}

async function startBroker(toolchain: JavaToolchain, classpath: string, watchdogDir: string | undefined, version: string, options: JarsKafkaOptions): Promise<JarsKafka> {
  const { clock, logger } = options;
  const dataDir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  const logFile = join(dataDir, 'server.log');
  const propertiesFile = join(dataDir, 'server.properties');
  writeFileSync(join(dataDir, 'owner.pid'), `${process.pid}\n`);
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  writeFileSync(propertiesFile, renderProperties(serverProperties(port, controllerPort, join(dataDir, 'log'), options.serverProperties)));

  const jvmArgs = [
    // Small heap and a single-threaded GC: two of these may share a 2-core machine with the tests.
    '-Xms128m',
    `-Xmx${options.heap}`,
    '-XX:+UseSerialGC',
    // C1 only: on a busy 2-core machine a start or restart takes ~30% less time (measured 8 s vs
    // 11 s, restart 6 s vs 10 s); test traffic is far too small to miss C2's peak speed.
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
    // Last, so a caller's flags win over the defaults above.
    ...options.jvmOptions,
  ];

  // Format: a fresh cluster id each time, so no two test brokers ever look like one cluster to a client.
  // The `--cluster-id=<id>` form: a base64url id may start with '-', which the tool's argument
  // parser would otherwise take for an option (one run in 64 failed to format that way).
  const clusterId = randomBytes(16).toString('base64url');
  const format = await runCommand(toolchain.java, [...jvmArgs, '-cp', classpath, STORAGE_TOOL_MAIN, 'format', `--cluster-id=${clusterId}`, '--config', propertiesFile], {
    cwd: dataDir,
    env: options.env,
    timeoutMs: 60_000,
  });
  appendFileSync(logFile, format.output);
  if (format.code !== 0) {
    throw new TributaryError('HARNESS_UNAVAILABLE', `formatting Kafka storage in ${dataDir} failed (${format.signal ?? `exit code ${format.code}`}):\n${tailText(format.output)}`);
  }

  const brokerArgs = watchdogDir
    ? [...jvmArgs, '-cp', `${watchdogDir}${delimiter}${classpath}`, 'ExitWithParent', BROKER_MAIN, propertiesFile]
    : [...jvmArgs, '-cp', classpath, BROKER_MAIN, propertiesFile];
  const brokers = [`127.0.0.1:${port}`];

  let current: BrokerProcess | undefined;
  let stopped = false;

  const launch = async (first: boolean): Promise<void> => {
    const proc = spawnBroker(toolchain.java, brokerArgs, dataDir, logFile, watchdogDir !== undefined, options.env);
    current = proc;
    writeFileSync(join(dataDir, 'broker.pid'), `${proc.child.pid ?? ''}\n`);
    try {
      await waitUntilServing(brokers, { timeoutMs: options.startTimeoutMs, clock, exited: proc.exited });
    } catch (err) {
      await stopProcess(proc, false, options.stopTimeoutMs, clock);
      const tail = tailFile(logFile, 60);
      // Only a first start may move to other ports; a restart must keep the address clients know.
      if (first && /Address already in use/i.test(tail)) throw new PortTakenError(tail);
      throw new TributaryError('HARNESS_UNAVAILABLE', `starting Apache Kafka ${version} from jars: ${errorMessage(err)}\nfull log: ${logFile}\n--- last lines of the broker log ---\n${tail}`, { cause: err });
    }
  };

  // restart/kill/stop never interleave: a chaos test that kills and restarts in quick succession must
  // see each step finish before the next begins.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(step: () => Promise<T>): Promise<T> => {
    const run = queue.then(step, step);
    queue = run.catch(() => {});
    return run;
  };

  try {
    await launch(true);
  } catch (err) {
    if (err instanceof PortTakenError) rmSync(dataDir, { recursive: true, force: true });
    // Otherwise the data dir stays for reading its full log; the next run's sweep removes it.
    throw err;
  }

  return {
    brokers,
    version,
    dataDir,
    logFile,
    stop: () =>
      serially(async () => {
        if (stopped) return;
        stopped = true;
        const began = clock.now();
        if (current) await stopProcess(current, true, options.stopTimeoutMs, clock);
        rmSync(dataDir, { recursive: true, force: true });
        logger.info({ brokers, seconds: (clock.now() - began) / 1000 }, 'Kafka stopped and its data dir removed');
      }),
    restart: () =>
      serially(async () => {
        if (stopped) throw new TributaryError('INTERNAL', 'restarting Kafka: this harness was already stopped');
        const began = clock.now();
        if (current) await stopProcess(current, true, options.stopTimeoutMs, clock);
        await launch(false);
        logger.info({ brokers, seconds: (clock.now() - began) / 1000 }, 'Kafka restarted on the same port and data dir');
      }),
    kill: () =>
      serially(async () => {
        if (stopped) throw new TributaryError('INTERNAL', 'killing Kafka: this harness was already stopped');
        if (current) await stopProcess(current, false, options.stopTimeoutMs, clock);
      }),
  };
}

interface BrokerProcess {
  child: ChildProcess;
  /** Resolves (never rejects) with how the process ended. */
  exited: Promise<string>;
  hasExited(): boolean;
}

function spawnBroker(java: string, args: string[], cwd: string, logFile: string, watchdog: boolean, env: NodeJS.ProcessEnv): BrokerProcess {
  const out = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    // stdin is the watchdog's pipe: never written, closed by the kernel when this process dies.
    child = spawn(java, args, { cwd, env, stdio: [watchdog ? 'pipe' : 'ignore', out, out] });
  } finally {
    closeSync(out);
  }
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
    child.once('error', (err) => {
      done = true;
      resolve(`could not run ${java}: ${err.message}`);
    });
  });
  killWithParent(child);
  return { child, exited, hasExited: () => done };
}

/** SIGTERM lets Kafka shut down cleanly (flush, close segments); SIGKILL is the crash chaos tests want. */
async function stopProcess(proc: BrokerProcess, graceful: boolean, timeoutMs: number, clock: Clock): Promise<void> {
  if (proc.hasExited()) return;
  proc.child.kill(graceful ? 'SIGTERM' : 'SIGKILL');
  if (graceful) {
    // The timer is cancelled once the process is gone, or it would hold the test process open.
    const cancel = new AbortController();
    const timedOut = await Promise.race([
      proc.exited.then(() => false),
      clock.sleep(timeoutMs, cancel.signal).then(
        () => true,
        () => false,
      ),
    ]);
    cancel.abort();
    if (!timedOut) return;
    proc.child.kill('SIGKILL');
  }
  await proc.exited;
}

/**
 * Settings for a fast single-node test broker. Invariant: every listener binds 127.0.0.1 only, so a
 * test broker is never reachable from another machine.
 */
function serverProperties(port: number, controllerPort: number, logDir: string, overrides: Record<string, string>): Record<string, string> {
  return {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': logDir,
    ...singleNodeTestSettings(),
    ...overrides,
  };
}

function renderProperties(properties: Record<string, string>): string {
  return `# Written by test/harness/kafka/jars.ts\n${Object.entries(properties)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/** Keyed by Kafka version and pom.xml content, so any change to the pom misses the cache. */
function classpathCacheFile(version: string, cacheDir: string): string {
  return join(cacheDir, `kafka-${version}-${sha256(readFileSync(POM)).slice(0, 12)}.classpath`);
}

/** The cached classpath, unless it is missing or names a jar that has since vanished from ~/.m2. */
function cachedClasspath(cacheFile: string): string | undefined {
  if (!existsSync(cacheFile)) return undefined;
  const cached = readFileSync(cacheFile, 'utf8').trim();
  return cached !== '' && cached.split(delimiter).every((jar) => existsSync(jar)) ? cached : undefined;
}

/**
 * The broker's runtime classpath out of the local Maven repository. Cached per Kafka version and
 * pom.xml content; a cache entry whose jars have since vanished from ~/.m2 is recomputed.
 */
async function kafkaClasspath(toolchain: JavaToolchain, version: string, options: JarsKafkaOptions): Promise<string> {
  const { logger, clock } = options;
  const cacheFile = classpathCacheFile(version, options.cacheDir);
  const cached = cachedClasspath(cacheFile);
  if (cached !== undefined) return cached;
  if (toolchain.mvn === undefined) {
    throw new TributaryError(
      'HARNESS_UNAVAILABLE',
      `starting Apache Kafka ${version} from jars: Maven (mvn) is not on PATH and no classpath is cached in ${options.cacheDir}. Install Maven 3.6+ (it fetches the Kafka jars from Maven Central once), or run a Docker engine, or set KAFKA_BROKERS`,
    );
  }

  mkdirSync(options.cacheDir, { recursive: true });
  const began = clock.now();
  logger.info({ pom: POM }, `fetching Apache Kafka ${version} jars from Maven Central (first run only, ~45 MB)`);
  // -q hides Maven's own per-file progress, so say every now and then that nothing is stuck.
  const ticker = setInterval(() => logger.info({ seconds: Math.round((clock.now() - began) / 1000) }, `still fetching Apache Kafka ${version} jars`), 15_000);
  const outputFile = `${cacheFile}.${process.pid}.tmp`;
  let result;
  try {
    result = await runCommand(
      toolchain.mvn,
      ['-B', '-q', '-f', POM, 'dependency:build-classpath', `-Dmdep.outputFile=${outputFile}`, '-Dmdep.includeScope=runtime'],
      { cwd: HARNESS_DIR, env: options.env, timeoutMs: 20 * 60_000 },
    );
  } finally {
    clearInterval(ticker);
  }
  if (result.code !== 0 || !existsSync(outputFile)) {
    rmSync(outputFile, { force: true });
    throw new TributaryError(
      'HARNESS_UNAVAILABLE',
      `fetching Apache Kafka ${version} jars with Maven failed (${result.signal ?? `exit code ${result.code}`}); Maven Central must be reachable on the first run:\n${tailText(result.output)}`,
    );
  }
  // Rename is atomic: a concurrent run sees either no cache file or a complete one.
  renameSync(outputFile, cacheFile);
  logger.info({ seconds: (clock.now() - began) / 1000, cacheFile }, `fetched Apache Kafka ${version} jars`);
  return readFileSync(cacheFile, 'utf8').trim();
}

/**
 * Compiles ExitWithParent.java once per source version into the cache. Without javac (a bare JRE) the
 * broker still runs, but only the exit/signal hooks of this process can stop it, and those do not run
 * when this process is SIGKILLed.
 */
async function compileWatchdog(toolchain: JavaToolchain, options: JarsKafkaOptions): Promise<string | undefined> {
  const dir = join(options.cacheDir, `exit-with-parent-${sha256(readFileSync(WATCHDOG_SOURCE)).slice(0, 12)}`);
  if (existsSync(join(dir, 'ExitWithParent.class'))) return dir;
  if (toolchain.javac === undefined) {
    options.logger.warn({}, 'javac not found: the Kafka broker runs without its parent-death watchdog and may outlive a killed test run');
    return undefined;
  }
  const staging = `${dir}.${process.pid}.tmp`;
  mkdirSync(staging, { recursive: true });
  const result = await runCommand(toolchain.javac, ['--release', String(MIN_JAVA), '-d', staging, WATCHDOG_SOURCE], { env: options.env, timeoutMs: 120_000 });
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new TributaryError('HARNESS_UNAVAILABLE', `compiling ${WATCHDOG_SOURCE} failed:\n${tailText(result.output)}`);
  }
  try {
    renameSync(staging, dir);
  } catch {
    // Another run compiled the same source first; theirs is identical.
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Removes data dirs left behind by earlier runs whose test process and broker are both gone (a run
 * that was SIGKILLed, or a broker that failed to start and was kept for its log).
 */
function sweepStaleDirs(logger: Logger): void {
  const root = tmpdir();
  let entries: string[];
  try {
    entries = readdirSync(root).filter((name) => name.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = join(root, name);
    const owner = readPid(join(dir, 'owner.pid'));
    const broker = readPid(join(dir, 'broker.pid'));
    if (owner === undefined || processAlive(owner) || (broker !== undefined && processAlive(broker))) continue;
    rmSync(dir, { recursive: true, force: true });
    logger.debug({ dir }, 'removed a stale Kafka data dir');
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
