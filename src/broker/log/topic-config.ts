/**
 * Kafka topic names and topic-level configs as the log layer understands them.
 * - Names: Kafka's rules, [a-zA-Z0-9._-]{1,249}, not "." or "..".
 * - Directory names: case-insensitive file systems (macOS, Windows) would merge "Orders" and
 *   "orders", so each upper-case letter is written as "+" and its lower-case form ("Orders" ->
 *   "+orders"). '+' is not legal in a topic name, so the mapping is one-to-one.
 * - Configs: raw Kafka names map to {@link LogConfig} fields; every Kafka topic config name is
 *   accepted and kept in `raw` for DescribeConfigs, even those the embedded broker does not act on.
 */
import { createHash } from 'node:crypto';

import { INVALID_CONFIG, INVALID_TOPIC_EXCEPTION, LogError } from './errors.ts';
import type { LogConfig } from './partition-log.ts';

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

export function validateTopicName(name: string): void {
  if (name.length === 0) throw new LogError(INVALID_TOPIC_EXCEPTION, 'topic name is empty');
  if (name.length > MAX_TOPIC_NAME_LENGTH) throw new LogError(INVALID_TOPIC_EXCEPTION, `topic name is longer than ${MAX_TOPIC_NAME_LENGTH} characters`);
  if (name === '.' || name === '..') throw new LogError(INVALID_TOPIC_EXCEPTION, `topic name cannot be "${name}"`);
  if (!LEGAL_TOPIC.test(name)) throw new LogError(INVALID_TOPIC_EXCEPTION, `topic name "${name}" has characters outside [a-zA-Z0-9._-]`);
}

/** Longest directory name used for a topic, leaving room for the create/delete suffixes within NAME_MAX (255). */
const MAX_DIR_NAME = 180;

/**
 * The topic's directory name: upper-case letters become `+` and the lower-case letter (so
 * case-insensitive file systems keep `Orders` and `orders` apart). A legal topic name can be 249
 * characters, and twice that once encoded, past the file system's 255-byte limit; such names keep
 * a readable prefix plus `#` and a hash of the full name (`#` is not legal in topic names, so no
 * short name collides). The real name is always read from topic.json, never from the directory.
 */
export function topicDirName(name: string): string {
  const encoded = name.replace(/[A-Z]/g, (c) => `+${c.toLowerCase()}`);
  if (encoded.length <= MAX_DIR_NAME) return encoded;
  return `${encoded.slice(0, MAX_DIR_NAME - 33)}#${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

/** Kafka topic-level config names (Kafka 3.x/4.x). Unknown names are INVALID_CONFIG, as in Kafka. */
export const KNOWN_TOPIC_CONFIGS: ReadonlySet<string> = new Set([
  'cleanup.policy',
  'compression.type',
  'compression.gzip.level',
  'compression.lz4.level',
  'compression.zstd.level',
  'delete.retention.ms',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'follower.replication.throttled.replicas',
  'index.interval.bytes',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'max.compaction.lag.ms',
  'max.message.bytes',
  'message.downconversion.enable',
  'message.format.version',
  'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms',
  'message.timestamp.type',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'min.insync.replicas',
  'preallocate',
  'remote.log.copy.disable',
  'remote.log.delete.on.disable',
  'remote.storage.enable',
  'retention.bytes',
  'retention.ms',
  'segment.bytes',
  'segment.index.bytes',
  'segment.jitter.ms',
  'segment.ms',
  'unclean.leader.election.enable',
]);

function invalid(name: string, value: string, why: string): never {
  throw new LogError(INVALID_CONFIG, `config ${name}=${value}: ${why}`);
}

const LONG_MAX = 0x7fffffffffffffffn;

/** Parses a Kafka long; values past 2^53 (e.g. Long.MAX_VALUE, Kafka's "forever") clamp to MAX_SAFE_INTEGER. */
function parseLong(name: string, value: string, min: number, max: bigint = LONG_MAX): number {
  const text = value.trim();
  if (!/^-?\d+$/.test(text)) invalid(name, value, 'not an integer');
  const n = BigInt(text);
  if (n < BigInt(min) || n > max) invalid(name, value, `must be in [${min}, ${max}]`);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/**
 * Maps raw Kafka topic configs to log config overrides. Throws {@link LogError} INVALID_CONFIG for
 * unknown names and bad values.
 */
export function parseTopicConfigs(raw: Readonly<Record<string, string>>): Partial<LogConfig> {
  const out: Partial<LogConfig> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!KNOWN_TOPIC_CONFIGS.has(name)) invalid(name, value, 'unknown topic config');
    switch (name) {
      case 'cleanup.policy': {
        const parts = new Set(value.split(',').map((p) => p.trim().toLowerCase()).filter((p) => p !== ''));
        for (const p of parts) if (p !== 'delete' && p !== 'compact') invalid(name, value, 'must be delete, compact or both');
        if (parts.size === 0) invalid(name, value, 'must be delete, compact or both');
        out.cleanupPolicy = parts.has('compact') ? (parts.has('delete') ? 'compact,delete' : 'compact') : 'delete';
        break;
      }
      case 'retention.ms':
        out.retentionMs = parseLong(name, value, -1);
        break;
      case 'retention.bytes':
        out.retentionBytes = parseLong(name, value, -1);
        break;
      case 'segment.bytes':
        out.segmentBytes = parseLong(name, value, 14, 0x7fffffffn);
        break;
      case 'segment.ms':
        out.segmentMs = parseLong(name, value, 1);
        break;
      case 'max.message.bytes':
        out.maxMessageBytes = parseLong(name, value, 0, 0x7fffffffn);
        break;
      case 'index.interval.bytes':
        out.indexIntervalBytes = parseLong(name, value, 0, 0x7fffffffn);
        break;
      case 'delete.retention.ms':
        out.deleteRetentionMs = parseLong(name, value, 0);
        break;
      case 'flush.messages':
        // 1 means "fsync every append"; larger counts are treated as "never", Kafka's default.
        if (parseLong(name, value, 1) === 1) out.fsync = 'always';
        break;
      case 'flush.ms': {
        const ms = parseLong(name, value, 0);
        if (ms < Number.MAX_SAFE_INTEGER && out.fsync !== 'always') {
          out.fsync = ms === 0 ? 'always' : 'interval';
          out.fsyncIntervalMs = ms;
        }
        break;
      }
      case 'message.timestamp.type':
        if (value !== 'CreateTime' && value !== 'LogAppendTime') invalid(name, value, 'must be CreateTime or LogAppendTime');
        out.messageTimestampType = value;
        break;
      case 'compression.type':
        if (!['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'].includes(value)) invalid(name, value, 'unknown codec');
        break;
      default:
        break;
    }
  }
  return out;
}

/** Raw configs accepted but not acted on; the caller may warn about them. */
export function ignoredTopicConfigs(raw: Readonly<Record<string, string>>): string[] {
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'compression.type' && value !== 'producer') ignored.push(name);
  }
  return ignored;
}
