import type { Logger } from '../../src/sdk/logger.ts';

/**
 * The harness's progress lines (fetching jars, broker ready, timings) on stderr, where vitest shows
 * output from global setup. One line per call: `[harness:kafka] message {"field":1}`.
 * The stream is passed in so tests can capture it; nothing here writes to process.stderr on its own.
 */
export function streamLogger(name: string, stream: NodeJS.WritableStream, bindings: Record<string, unknown> = {}): Logger {
  const write =
    (level: string) =>
    (obj: object, msg?: string): void => {
      const fields = { ...bindings, ...obj };
      const suffix = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      const prefix = level === 'info' ? '' : `${level.toUpperCase()} `;
      stream.write(`[harness:${name}] ${prefix}${msg ?? ''}${suffix}\n`);
    };
  return {
    trace: () => {},
    debug: () => {},
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => streamLogger(name, stream, { ...bindings, ...more }),
  };
}
