import { spawn, type ChildProcess } from 'node:child_process';
import { killWithParent } from '../harness/child-process.ts';

const CLI = new URL('../../src/cli/tributary.js', import.meta.url).pathname;

/** A `tributary` CLI process whose output is kept for failure messages. */
export interface CliProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last `chars` characters of its stdout and stderr, for failure messages. */
  tail(chars?: number): string;
}

export interface CliOptions {
  /** Added to this process's environment; TRIBUTARY_LOG_LEVEL defaults to info. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** `tributary <args>` in a child process that dies with this one. */
export function startCli(args: string[], options: CliOptions = {}): CliProcess {
  const env = { ...process.env, TRIBUTARY_LOG_LEVEL: 'info', ...options.env };
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env });
  const unbind = killWithParent(child);
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      unbind();
      resolve({ code, signal });
    }),
  );
  return { child, output, exited, tail: (chars = 4000) => output.join('').slice(-chars) };
}

/** Runs `tributary <args>` to completion. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<{ code: number | null; output: string }> {
  const p = startCli(args, options);
  const { code } = await p.exited;
  return { code, output: p.output.join('') };
}

/** SIGKILLs the process (no cleanup of any kind, like a crash) and waits until it is gone. */
export async function sigkill(p: CliProcess): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
}
