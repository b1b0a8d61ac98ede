/**
 * The embedded broker's settings: what `EmbeddedBroker.start` accepts, and the resolved form every
 * other module reads. Every duration and size is a field here, never a literal in a handler.
 */
import type { Clock } from '../sdk/clock.ts';
import type { Logger } from '../sdk/logger.ts';
import type { LogConfig } from './log/partition-log.ts';

export type FsyncPolicy = LogConfig['fsync'];

export interface EmbeddedBrokerOptions {
  /** Everything the broker persists (topics, group offsets, transactions) lives under this directory. */
  dataDir: string;
  /** Interface to bind; loopback by default so an embedded broker is never exposed by accident. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The host clients are told to connect to (Metadata, FindCoordinator); defaults to `host`. */
  advertisedHost?: string;
  /** The port clients are told to connect to, when a proxy or NAT sits in front; defaults to the bound port. */
  advertisedPort?: number;
  nodeId?: number;
  /** Create unknown topics on Metadata requests that allow it (auto.create.topics.enable). */
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics and of CreateTopics requests that ask for -1 (num.partitions). */
  defaultPartitions?: number;
  /** When partition logs fsync: after every append, on an interval, or never (the OS decides). */
  fsync?: FsyncPolicy;
  fsyncIntervalMs?: number;
  /** Largest request frame accepted; larger frames close the connection (socket.request.max.bytes). */
  maxFrameBytes?: number;
  /** Per-topic log defaults (segment size, retention, ...). */
  log?: Partial<LogConfig>;
  logger: Logger;
  clock?: Clock;
}

export interface BrokerConfig {
  dataDir: string;
  host: string;
  port: number;
  advertisedHost: string;
  /** 0 = the bound port. */
  advertisedPort: number;
  nodeId: number;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  maxFrameBytes: number;
  /** Requests read from one connection but not yet answered; reading pauses at this many. */
  maxInFlightPerConnection: number;
  /** Upper bound on a Fetch's max_wait_ms, so a client cannot park a request for hours. */
  maxFetchWaitMs: number;
  /** How often retention, compaction and flushing run. */
  maintenanceIntervalMs: number;
  log: LogConfig;
  groups: { minSessionTimeoutMs: number; maxSessionTimeoutMs: number; initialRebalanceDelayMs: number };
  transactions: { maxTransactionTimeoutMs: number; abortCheckIntervalMs: number };
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1024 * 1024 * 1024,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  fsync: 'interval',
  fsyncIntervalMs: 1000,
  maxMessageBytes: 1024 * 1024 + 12,
  indexIntervalBytes: 4096,
};

export function resolveBrokerConfig(o: EmbeddedBrokerOptions): BrokerConfig {
  const host = o.host ?? '127.0.0.1';
  const log: LogConfig = { ...DEFAULT_LOG_CONFIG, ...o.log };
  if (o.fsync !== undefined) log.fsync = o.fsync;
  if (o.fsyncIntervalMs !== undefined) log.fsyncIntervalMs = o.fsyncIntervalMs;
  const defaultPartitions = o.defaultPartitions ?? 1;
  if (!Number.isInteger(defaultPartitions) || defaultPartitions < 1) throw new RangeError(`defaultPartitions must be a positive integer, got ${defaultPartitions}`);
  return {
    dataDir: o.dataDir,
    host,
    port: o.port ?? 0,
    advertisedHost: o.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host),
    advertisedPort: o.advertisedPort ?? 0,
    nodeId: o.nodeId ?? 0,
    autoCreateTopics: o.autoCreateTopics ?? true,
    defaultPartitions,
    maxFrameBytes: o.maxFrameBytes ?? 100 * 1024 * 1024,
    maxInFlightPerConnection: 100,
    maxFetchWaitMs: 30_000,
    maintenanceIntervalMs: 30_000,
    log,
    // Kafka's group.min/max.session.timeout.ms; the initial delay is 0 so a lone test consumer joins at once.
    groups: { minSessionTimeoutMs: 6_000, maxSessionTimeoutMs: 1_800_000, initialRebalanceDelayMs: 0 },
    transactions: { maxTransactionTimeoutMs: 900_000, abortCheckIntervalMs: 10_000 },
  };
}
