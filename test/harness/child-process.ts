import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of an executable on `env.PATH`, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return undefined;
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved in arrival order, which is what a human reading a failure wants. */
  output: string;
}

/**
 * Runs a command to completion and collects its output. Never rejects for a non-zero exit (the caller
 * decides what that means); rejects only when the command cannot be started. The child is killed when
 * `timeoutMs` passes and then reported with signal SIGKILL.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    const unbind = killWithParent(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      unbind();
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      unbind();
      resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/**
 * Makes `child` die with this process when this process exits normally or on SIGINT/SIGTERM (a
 * SIGKILL of this process runs no handlers at all; long-lived children need a watchdog of their own,
 * see kafka/ExitWithParent.java). Returns the function that removes the hooks, to call once the
 * child has exited.
 *
 * Invariant: a signal handler added here must not change what the signal does to this process. Node
 * skips its default "exit on SIGINT/SIGTERM" as soon as any listener exists, so when ours is the only
 * one, it removes itself and re-raises the signal after killing the child.
 */
export function killWithParent(child: ChildProcess): () => void {
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    child.kill('SIGKILL');
    unbind();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const unbind = (): void => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  child.once('exit', unbind);
  return unbind;
}

/** The last `lines` lines of a text file, or a note saying why there are none. For error messages. */
export function tailFile(path: string, lines = 40): string {
  if (!existsSync(path)) return `(no ${path})`;
  const text = readFileSync(path, 'utf8');
  return tailText(text, lines) || `(${path} is empty)`;
}

export function tailText(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** True when a process with this pid exists (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
