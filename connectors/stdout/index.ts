import type { SinkPlugin } from '../../src/sdk/index.ts';
import { stdoutSinkConfigSchema, type StdoutSinkConfig } from './config.ts';
import { StdoutSinkTask, type OutputStream } from './sink.ts';

export type { StdoutSinkConfig } from './config.ts';
export { StdoutSinkTask, type OutputStream } from './sink.ts';

/**
 * The stdout sink writing to `out`; without one, to process.stdout (looked up when a task is
 * created, not at import).
 */
export function createStdoutSink(out?: OutputStream): SinkPlugin<StdoutSinkConfig> {
  return {
    spec: {
      name: 'stdout',
      kind: 'sink',
      summary: 'Prints each record as one JSON line (envelope or value only) to standard output.',
      version: '1.0.0',
      config: stdoutSinkConfigSchema,
      delivery: 'at-least-once',
    },
    createTask: (ctx) => new StdoutSinkTask(ctx, out ?? process.stdout),
  };
}

export const stdoutSink: SinkPlugin<StdoutSinkConfig> = createStdoutSink();

export const plugins = [stdoutSink];
