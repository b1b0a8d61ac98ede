import { logLevel as KafkajsLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from '../sdk/logger.ts';

/**
 * Forwards kafkajs's own log lines to our Logger, so they share its destination, format and level.
 *
 * Invariant: no credential reaches the logger. Properties whose name looks like a credential are
 * replaced (at any depth), and the known secret values (the SASL password, the TLS private key)
 * are cut out of every string, including the message, in case kafkajs ever prints one inline.
 */

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

export const KAFKAJS_LEVELS: Record<KafkaLogLevel, KafkajsLevel> = {
  error: KafkajsLevel.ERROR,
  warn: KafkajsLevel.WARN,
  info: KafkajsLevel.INFO,
  debug: KafkajsLevel.DEBUG,
};

const REDACTED = '***';
const CREDENTIAL_KEY = /pass(word|wd|phrase)?$|secret|token|credential|authori[sz]ation|oauth|private.?key|^key$|^sasl$/i;
// Extras are small objects; the cap only guards against a cyclic or huge structure in a log call.
const MAX_DEPTH = 6;

export interface KafkaLogOptions {
  /** Values that must never be logged, e.g. the SASL password. Empty strings are ignored. */
  secrets?: readonly string[];
}

export function createKafkajsLogCreator(logger: Logger, options: KafkaLogOptions = {}): logCreator {
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  const scrub = (s: string): string => secrets.reduce((acc, secret) => acc.split(secret).join(REDACTED), s);

  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (value === null || typeof value !== 'object') return value;
    if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
    if (depth >= MAX_DEPTH) return '[nested]';
    if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
    if (value instanceof Error) return { name: value.name, message: scrub(value.message) };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = CREDENTIAL_KEY.test(k) && v !== null && v !== undefined ? redactCredential(k, v) : clean(v, depth + 1);
    }
    return out;
  };

  // `sasl` objects keep their mechanism and username (useful when authentication fails), nothing else.
  const redactCredential = (key: string, value: unknown): unknown => {
    if (key.toLowerCase() === 'sasl' && typeof value === 'object' && value !== null) {
      const { mechanism, username } = value as { mechanism?: unknown; username?: unknown };
      return { mechanism: clean(mechanism, MAX_DEPTH), username: clean(username, MAX_DEPTH), password: REDACTED };
    }
    return REDACTED;
  };

  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _source, ...extra } = log;
      const fields = { kafkajs: namespace, ...(clean(extra, 0) as Record<string, unknown>) };
      const msg = scrub(String(message));
      switch (effectiveLevel(namespace, level, msg)) {
        case KafkajsLevel.ERROR:
          logger.error(fields, msg);
          break;
        case KafkajsLevel.WARN:
          logger.warn(fields, msg);
          break;
        // kafkajs INFO lines narrate its internals (pausing fetches, joining, stopping); the
        // runtime logs the events users act on, so these stay at debug.
        default:
          logger.debug(fields, msg);
      }
    };
}

/**
 * kafkajs logs every failed request at ERROR from its connection layer ("Response CreateTopics ..."),
 * even when the caller expects the error (topic already exists) or will retry it (leader not yet
 * elected). The operation that made the request either retries it or fails with that error, which
 * is where it gets reported, so at ERROR these lines only raise false alarms: they go to debug.
 */
function effectiveLevel(namespace: string, level: KafkajsLevel, message: string): KafkajsLevel {
  if (level === KafkajsLevel.ERROR && namespace === 'Connection' && message.startsWith('Response ')) return KafkajsLevel.DEBUG;
  // Bounded retries for idempotent producers are deliberate (see RetrySettings in kafkajs-adapter.ts);
  // warning about them on every producer start would only train people to ignore warnings.
  if (level === KafkajsLevel.WARN && namespace === 'Producer' && message.startsWith('Limiting retries for the idempotent producer')) return KafkajsLevel.DEBUG;
  // Right after a commit, Apache Kafka answers the next transaction's first request with
  // CONCURRENT_TRANSACTIONS until the markers are written (milliseconds), and kafkajs retries it.
  // Routine for every back-to-back transaction: an ERROR line per transaction is noise.
  if (level === KafkajsLevel.ERROR && namespace === 'Producer' && message.includes('another concurrent operation on the same transaction')) return KafkajsLevel.DEBUG;
  return level;
}
