import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from '../../src/sdk/index.ts';

/**
 * Forwards kafkajs's own log lines to the sink's logger. kafkajs INFO lines narrate its internals
 * and its connection layer logs every failed request at ERROR even when the caller retries it, so
 * both go to debug; the sink reports what users act on itself. Credentials never reach kafkajs logs:
 * it does not log its SASL settings.
 */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _source, stack: _stack, ...extra } = log as LogEntry['log'] & { stack?: unknown };
      const fields = { kafkajs: namespace, ...extra };
      const msg = String(message);
      if (level === logLevel.ERROR && !(namespace === 'Connection' && msg.startsWith('Response '))) logger.error(fields, msg);
      else if (level === logLevel.WARN) logger.warn(fields, msg);
      else logger.debug(fields, msg);
    };
}
