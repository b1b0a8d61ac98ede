import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killWithParent, processAlive } from './child-process.ts';
import { freePort } from './ports.ts';

const CLI = fileURLToPath(new URL('../../src/cli/tributary.js', import.meta.url));
const HOST = '127.0.0.1';
const TAIL_LINES = 80;

/** How a broker process ended: by our SIGKILL (a planned crash), our SIGTERM, or on its own (a bug). */
export interface BrokerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  cause: 'killed' | 'stopped' | 'own';
  /** Its last output lines, for failure messages. */
  tail: string;
}

export interface EmbeddedBrokerProcessOptions {
  /** The broker's data directory; kept across kill() and restart(). */
  dataDir: string;
  /** Listen port on 127.0.0.1. Default: a free one (retried with another if it is taken meanwhile). */
  port?: number;
  /** `--log-level` of the broker process. Default `info`. */
  logLevel?: string;
  /** Appends the whole output of every start here (each start marked), for diagnosis. */
  logFile?: string;
  /** How long a start may take until the port accepts connections. Default 60 s (tsx cold start on a busy machine). */
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * The embedded broker running standalone (`tributary broker`) as its own OS process, for tests that
 * crash it: kill() SIGKILLs it (no flush, no clean shutdown) and restart() brings it back on the same
 * port and data directory. The process dies with the test process (killWithParent). Every exit is
 * recorded with its cause, so a test can tell a planned kill from a broker that stopped by itself.
 */
export class EmbeddedBrokerProcess {
  readonly exits: BrokerExit[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private pending: 'killed' | 'stopped' | undefined;
  private lines: string[] = [];
  private starts = 0;

  private constructor(
    readonly dataDir: string,
    private portNumber: number,
    private readonly options: EmbeddedBrokerProcessOptions,
  ) {}

  /** Starts the broker and resolves once its port accepts connections. */
  static async start(options: EmbeddedBrokerProcessOptions): Promise<EmbeddedBrokerProcess> {
    if (options.port !== undefined) {
      const b = new EmbeddedBrokerProcess(options.dataDir, options.port, options);
      await b.launch();
      return b;
    }
    // A free port may be taken between freePort() and the broker's bind: try another then.
    for (let attempt = 1; ; attempt++) {
      const b = new EmbeddedBrokerProcess(options.dataDir, await freePort(), options);
      try {
        await b.launch();
        return b;
      } catch (err) {
        if (attempt >= 5 || !/EADDRINUSE|address already in use/i.test(b.output())) throw err;
      }
    }
  }

  get port(): number {
    return this.portNumber;
  }

  get brokers(): string[] {
    return [`${HOST}:${this.portNumber}`];
  }

  running(): boolean {
    return this.child?.pid !== undefined && processAlive(this.child.pid);
  }

  pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times the process was started. */
  startCount(): number {
    return this.starts;
  }

  /** The retained tail of its output (across restarts). */
  output(): string {
    return this.lines.join('\n');
  }

  /** Exits nobody asked for: a broker that crashed or stopped by itself. */
  ownExits(): BrokerExit[] {
    return this.exits.filter((e) => e.cause === 'own');
  }

  /** SIGKILLs the broker and resolves once it is gone; it stays down until restart(). */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.pending = 'killed';
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Stops the broker if it runs (SIGTERM, SIGKILL after `graceMs`), then starts it on the same port and data directory. */
  async restart(graceMs = 10_000): Promise<void> {
    await this.stop(graceMs);
    await this.launch();
  }

  /** SIGTERM (a clean shutdown), SIGKILL if it has not exited after `graceMs`. True when it exited in time (or was not running). */
  async stop(graceMs = 10_000): Promise<boolean> {
    const child = this.child;
    if (child === undefined) return true;
    this.pending = 'stopped';
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const clean = await Promise.race([this.exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
    clearTimeout(timer);
    if (!clean) {
      child.kill('SIGKILL');
      await this.exited;
    }
    return clean;
  }

  private async launch(): Promise<void> {
    if (this.child !== undefined) throw new Error(`the broker on port ${this.portNumber} is already running`);
    this.starts++;
    this.pending = undefined;
    const args = [CLI, 'broker', '--data-dir', this.dataDir, '--port', String(this.portNumber), '--log-level', this.options.logLevel ?? 'info'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: this.options.env ?? process.env });
    const unbind = killWithParent(child);
    const logFile = this.options.logFile;
    if (logFile !== undefined) {
      mkdirSync(dirname(logFile), { recursive: true });
      appendFileSync(logFile, `=== start ${this.starts} pid ${child.pid} at ${new Date().toISOString()}: broker --port ${this.portNumber} --data-dir ${this.dataDir}\n`);
    }
    const keep = (chunk: Buffer): void => {
      if (logFile !== undefined) appendFileSync(logFile, chunk);
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') this.lines.push(line);
      if (this.lines.length > TAIL_LINES * 2) this.lines.splice(0, this.lines.length - TAIL_LINES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
    let gone = false;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        gone = true;
        unbind();
        this.child = undefined;
        this.exits.push({ code, signal, cause: this.pending ?? 'own', tail: this.lines.slice(-TAIL_LINES).join('\n') });
        resolve();
      });
    });
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    while (!(await accepts(this.portNumber))) {
      if (gone) throw new Error(`the broker exited before listening on ${HOST}:${this.portNumber}:\n${this.output()}`);
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`the broker did not accept connections on ${HOST}:${this.portNumber} within ${timeoutMs} ms:\n${this.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Something else could hold the port: only our child listening counts.
    if (gone) throw new Error(`the broker exited before listening on ${HOST}:${this.portNumber}:\n${this.output()}`);
  }
}

/** True when a TCP connection to 127.0.0.1:port is accepted (it is closed at once). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
