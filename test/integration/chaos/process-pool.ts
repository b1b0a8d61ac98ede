import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killWithParent, processAlive } from '../../harness/child-process.ts';

const CLI = fileURLToPath(new URL('../../../src/cli/tributary.js', import.meta.url));

/** How a process ended: by our SIGKILL (a planned crash), our SIGTERM, or on its own. */
export interface ProcessExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  cause: 'killed' | 'stopped' | 'own';
  /** The last lines it printed, for failure messages. */
  tail: string;
}

interface Managed {
  name: string;
  args: string[];
  child: ChildProcess | undefined;
  exited: Promise<void>;
  /** What we did to it last, so its exit can be attributed. */
  pending: 'killed' | 'stopped' | undefined;
  lines: string[];
  starts: number;
}

const TAIL_LINES = 60;

/**
 * With TRIBUTARY_CHAOS_LOG_DIR set, every process's whole output is appended to `<dir>/<name>.log`
 * (one file across restarts, each start marked), since the retained tail rarely shows how a failure began.
 */
const LOG_DIR = process.env.TRIBUTARY_CHAOS_LOG_DIR;

/**
 * `tributary` CLI processes (one per role and worker) that a chaos driver kills and restarts. Each
 * child dies with the test process (killWithParent). Every exit is recorded with its cause, so the
 * test can tell a planned SIGKILL from a process that stopped on its own.
 */
export class ProcessPool {
  readonly exits: ProcessExit[] = [];
  private readonly procs = new Map<string, Managed>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  start(name: string, args: string[]): void {
    const existing = this.procs.get(name);
    if (existing?.child !== undefined) throw new Error(`${name} is already running`);
    const m: Managed = existing ?? { name, args, child: undefined, exited: Promise.resolve(), pending: undefined, lines: [], starts: 0 };
    m.starts++;
    m.pending = undefined;
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: this.env });
    const unbind = killWithParent(child);
    const logFile = LOG_DIR === undefined || LOG_DIR === '' ? undefined : join(LOG_DIR, `${name}.log`);
    if (logFile !== undefined) {
      mkdirSync(LOG_DIR as string, { recursive: true });
      appendFileSync(logFile, `=== start ${m.starts} pid ${child.pid} at ${new Date().toISOString()}: ${args.join(' ')}\n`);
    }
    const keep = (chunk: Buffer): void => {
      if (logFile !== undefined) appendFileSync(logFile, chunk);
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') m.lines.push(line);
      if (m.lines.length > TAIL_LINES * 2) m.lines.splice(0, m.lines.length - TAIL_LINES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    m.child = child;
    m.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        unbind();
        m.child = undefined;
        this.exits.push({ name, code, signal, cause: m.pending ?? 'own', tail: m.lines.slice(-TAIL_LINES).join('\n') });
        resolve();
      });
    });
    this.procs.set(name, m);
  }

  running(name: string): boolean {
    const child = this.procs.get(name)?.child;
    return child?.pid !== undefined && processAlive(child.pid);
  }

  /** The pid of the running process, if any. */
  pid(name: string): number | undefined {
    return this.procs.get(name)?.child?.pid;
  }

  starts(name: string): number {
    return this.procs.get(name)?.starts ?? 0;
  }

  /** The process's output so far (the retained tail). */
  output(name: string): string {
    return this.procs.get(name)?.lines.join('\n') ?? '';
  }

  /** SIGKILL: no handler runs, no flush, no group leave, open transactions left to time out or be fenced. */
  async kill(name: string): Promise<boolean> {
    return this.signal(name, 'SIGKILL', 'killed');
  }

  /**
   * SIGTERM, the clean shutdown a user's Ctrl-C gets; SIGKILL if it has not exited after `graceMs`.
   * Resolves true when it exited within the grace period (or was not running).
   */
  async stop(name: string, graceMs: number): Promise<boolean> {
    const m = this.procs.get(name);
    if (m?.child === undefined) return true;
    const child = m.child;
    m.pending = 'stopped';
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const clean = await Promise.race([m.exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
    clearTimeout(timer);
    if (!clean) {
      child.kill('SIGKILL');
      await m.exited;
    }
    return clean;
  }

  async waitForExit(name: string): Promise<void> {
    await this.procs.get(name)?.exited;
  }

  /** SIGKILLs whatever is still running; for cleanup. */
  async killAll(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((n) => this.kill(n)));
  }

  private async signal(name: string, signal: NodeJS.Signals, cause: 'killed'): Promise<boolean> {
    const m = this.procs.get(name);
    if (m?.child === undefined) return false;
    m.pending = cause;
    m.child.kill(signal);
    await m.exited;
    return true;
  }
}
