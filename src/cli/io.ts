import type { Logger } from '../sdk/logger.ts';
import type { PluginRegistry } from '../sdk/registry.ts';

/** What every command receives: streams, environment, and the plugin registry (no globals). */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  registry: PluginRegistry;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  logger: Logger;
}

export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;
