import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { systemClock, type Clock } from '../../src/sdk/clock.ts';
import { TributaryError, errorMessage } from '../../src/sdk/errors.ts';
import type { Logger } from '../../src/sdk/logger.ts';
import { findOnPath, killWithParent, runCommand, tailFile } from './child-process.ts';
import { streamLogger } from './logger.ts';
import { freePort } from './ports.ts';

/**
 * A private MariaDB server for tests: its own data directory (a copy of a template made once per
 * machine with mariadb-install-db), a free port on 127.0.0.1, a socket in the temp dir, and the
 * binlog on in ROW format with full row images and full table-map metadata, so CDC tests read a
 * real replication stream. The system server (binlog off) is never touched.
 *
 * The server dies with the test process: on normal exit and SIGINT/SIGTERM through killWithParent,
 * and on a SIGKILL of the test process through a shell watchdog that polls the parent pid.
 */
export interface MariaDbHarness {
  host: string;
  port: number;
  user: 'root';
  password: '';
  /** The server's data directory (binlog files live here as `binlog.NNNNNN`). */
  dataDir: string;
  /** Runs one statement on a shared pool; values in `params` are bound, never spliced. */
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
  /** A dedicated connection (for transactions spanning statements); the caller ends it. */
  connection(database?: string): Promise<mysql.Connection>;
  /** Clean shutdown and removal of the data directory. Safe twice. */
  stop(): Promise<void>;
  /** SIGKILL, like a crash; the data directory stays for restart(). */
  kill(): Promise<void>;
  /** Clean shutdown (unless killed) and start again on the same port with the same data. */
  restart(): Promise<void>;
}

export interface StartMariaDbOptions {
  /** Extra server options, appended last so they override the harness's (e.g. `--binlog-row-metadata=MINIMAL`). */
  serverArgs?: string[];
  logger?: Logger;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** How long the server may take to accept connections. Default 60 s. */
  startTimeoutMs?: number;
  /** How long a clean shutdown may take before SIGKILL. Default 30 s. */
  stopTimeoutMs?: number;
}

const DIR_PREFIX = 'tributary-mariadb-';
const SERVER_ID = 1;

export async function startMariaDb(options: StartMariaDbOptions = {}): Promise<MariaDbHarness> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? streamLogger('mariadb', process.stderr);
  const clock = options.clock ?? systemClock;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const binaries = findBinaries(env);
  const template = await templateDataDir(binaries.installDb, env, logger);

  const dir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  const dataDir = join(dir, 'data');
  cpSync(template, dataDir, { recursive: true });
  const port = await freePort();
  const host = '127.0.0.1';
  const args = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--port=${port}`,
    `--bind-address=${host}`,
    `--socket=${join(dir, 'mariadb.sock')}`,
    `--pid-file=${join(dir, 'mariadb.pid')}`,
    `--log-error=${join(dir, 'error.log')}`,
    `--log-bin=${join(dataDir, 'binlog')}`,
    '--binlog-format=ROW',
    '--binlog-row-image=FULL',
    '--binlog-row-metadata=FULL',
    `--server-id=${SERVER_ID}`,
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=64M',
    '--innodb-log-file-size=48M',
    '--max-connections=200',
    '--max-allowed-packet=64M',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_general_ci',
    ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    ...(options.serverArgs ?? []),
  ];

  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let pool: mysql.Pool | undefined;
  let stopped = false;

  const launch = async (): Promise<void> => {
    const began = clock.now();
    const child = spawn(binaries.server, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
    proc = child;
    const unbind = killWithParent(child);
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void exited.then(unbind);
    startWatchdog(child, dir);
    const deadline = began + startTimeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new TributaryError('HARNESS_UNAVAILABLE', `starting mariadbd on port ${port}: it exited (${child.exitCode ?? child.signalCode})\n${tailFile(join(dir, 'error.log'))}`);
      }
      try {
        const probe = await mysql.createConnection({ host, port, user: 'root', password: '', connectTimeout: 2_000 });
        await probe.end();
        break;
      } catch (err) {
        if (clock.now() > deadline) {
          child.kill('SIGKILL');
          throw new TributaryError('HARNESS_UNAVAILABLE', `waiting for mariadbd on port ${port}: ${errorMessage(err)}\n${tailFile(join(dir, 'error.log'))}`, { cause: err });
        }
        await clock.sleep(100);
      }
    }
    pool = mysql.createPool({ host, port, user: 'root', password: '', connectionLimit: 8, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, multipleStatements: true });
    logger.info({ port, dataDir, seconds: (clock.now() - began) / 1000 }, 'MariaDB is serving');
  };

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    await pool?.end().catch(() => undefined);
    pool = undefined;
    const child = proc;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    host,
    port,
    user: 'root',
    password: '',
    dataDir,
    query: async <T>(sql: string, params: unknown[] = []): Promise<T> => {
      if (pool === undefined) throw new TributaryError('HARNESS_UNAVAILABLE', `querying MariaDB on port ${port}: it is not running`);
      const [rows] = await pool.query(sql, params);
      return rows as T;
    },
    connection: (database?: string) =>
      mysql.createConnection({ host, port, user: 'root', password: '', database, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await shutdown('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      logger.info({ port }, 'MariaDB stopped and its data dir removed');
    },
    kill: async () => {
      await shutdown('SIGKILL');
    },
    restart: async () => {
      await shutdown('SIGTERM');
      await launch();
    },
  };
}

interface Binaries {
  server: string;
  installDb: string;
}

function findBinaries(env: NodeJS.ProcessEnv): Binaries {
  const path = `${env.PATH ?? ''}:/usr/sbin:/usr/local/sbin:/usr/bin`;
  const server = findOnPath('mariadbd', { PATH: path }) ?? findOnPath('mysqld', { PATH: path });
  const installDb = findOnPath('mariadb-install-db', { PATH: path }) ?? findOnPath('mysql_install_db', { PATH: path });
  if (server === undefined || installDb === undefined) {
    throw new TributaryError(
      'HARNESS_UNAVAILABLE',
      `starting MariaDB for the tests: ${server === undefined ? 'mariadbd' : 'mariadb-install-db'} not found on PATH or in /usr/sbin. Install the server (e.g. \`apt-get install mariadb-server\`); the harness starts its own instance and never uses the system one.`,
    );
  }
  return { server, installDb };
}

/**
 * A freshly installed data directory, made once per machine and user and copied for every server:
 * mariadb-install-db takes seconds, a copy a few milliseconds. Built in a scratch dir and renamed into
 * place, so a concurrent or interrupted run never sees half a template.
 */
async function templateDataDir(installDb: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<string> {
  const uid = process.getuid?.() ?? 'user';
  const template = join(tmpdir(), `${DIR_PREFIX}template-${uid}`);
  if (existsSync(join(template, 'mysql'))) return template;
  const scratch = await mkdtemp(join(tmpdir(), `${DIR_PREFIX}install-`));
  const dataDir = join(scratch, 'data');
  mkdirSync(dataDir);
  const args = ['--no-defaults', '--auth-root-authentication-method=normal', `--datadir=${dataDir}`, '--skip-test-db', ...(uid === 0 ? ['--user=root'] : [])];
  logger.info({ installDb }, 'creating the template data directory');
  const result = await runCommand(installDb, args, { env, timeoutMs: 120_000 });
  if (result.code !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new TributaryError('HARNESS_UNAVAILABLE', `running ${installDb}: exit ${result.code ?? result.signal}\n${result.output}`);
  }
  try {
    renameSync(dataDir, template);
  } catch (err) {
    // Another run won the race; its template is as good as ours.
    if (!existsSync(join(template, 'mysql'))) throw err;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return template;
}

/**
 * A detached shell that outlives a SIGKILL of this process: once this process is gone it kills the
 * server and removes its directory. It exits by itself when the server exits first.
 */
function startWatchdog(child: ChildProcess, dir: string): void {
  if (child.pid === undefined) return;
  const script = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; if ! kill -0 "$1" 2>/dev/null; then kill -9 "$2" 2>/dev/null; sleep 1; rm -rf "$3"; fi';
  const watchdog = spawn('sh', ['-c', script, 'watchdog', String(process.pid), String(child.pid), dir], { detached: true, stdio: 'ignore' });
  watchdog.unref();
}

/**
 * Per-file setup for vitest: `const db = useMariaDb(); beforeAll(db.start); afterAll(db.stop)`, then
 * `db.server` inside tests. One server per test file keeps files independent (they may kill or
 * restart theirs).
 */
export function useMariaDb(options: StartMariaDbOptions = {}): { start: () => Promise<void>; stop: () => Promise<void>; readonly server: MariaDbHarness } {
  let server: MariaDbHarness | undefined;
  return {
    start: async () => {
      server = await startMariaDb(options);
    },
    stop: async () => {
      await server?.stop();
    },
    get server(): MariaDbHarness {
      if (server === undefined) throw new TributaryError('INTERNAL', 'useMariaDb(): server used before beforeAll(start) ran');
      return server;
    },
  };
}
