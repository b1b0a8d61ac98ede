import { pino, type Logger as PinoLogger } from 'pino';
import type { Logger } from '../sdk/logger.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * Structured logs to stderr (stdout stays free for data, e.g. the stdout sink): JSON lines, or
 * pino-pretty when stderr is a terminal. Paths listed in `redact` are censored as defence in depth;
 * the primary rule is that secret config values are redacted before they reach any logger.
 */
export function createLogger(opts: { level: LogLevel; pretty?: boolean; destination?: NodeJS.WritableStream }): Logger {
  const pretty = opts.pretty ?? Boolean(process.stderr.isTTY);
  const redact = { paths: ['password', '*.password', '*.*.password', 'sasl.password', 'config.password', '*.config.password'], censor: '***' };
  let logger: PinoLogger;
  if (pretty && opts.destination === undefined) {
    logger = pino({
      level: opts.level,
      redact,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' } },
    });
  } else {
    logger = pino({ level: opts.level, redact, base: { pid: process.pid } }, (opts.destination ?? pino.destination({ fd: 2, sync: true })) as pino.DestinationStream);
  }
  return logger as unknown as Logger;
}
