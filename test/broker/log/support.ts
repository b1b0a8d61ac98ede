/**
 * Shared fixtures for the log tests: a temp directory per test, a hand-driven clock, a log config
 * with small segments, a logger that records warnings, and real batches from kafkajs's own encoder.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../src/sdk/clock.ts';
import type { Logger } from '../../../src/sdk/logger.ts';
import type { LogConfig } from '../../../src/broker/log/partition-log.ts';

export async function tempDir(prefix = 'tributary-log-'): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(start = 1_700_000_000_000): ManualClock {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface RecordingLogger extends Logger {
  readonly lines: Array<{ level: string; obj: object; msg: string | undefined }>;
}

export function recordingLogger(): RecordingLogger {
  const lines: Array<{ level: string; obj: object; msg: string | undefined }> = [];
  const make = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  const logger: RecordingLogger = {
    lines,
    trace: make('trace'),
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    child: () => logger,
  };
  return logger;
}

export function testConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return {
    segmentBytes: 1024 * 1024,
    retentionMs: -1,
    retentionBytes: -1,
    cleanupPolicy: 'delete',
    fsync: 'never',
    fsyncIntervalMs: 1000,
    maxMessageBytes: 1024 * 1024,
    indexIntervalBytes: 256,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------
// kafkajs's record batch encoder, the code its producer runs, used in-process to make real batches.

interface KafkaEncoder {
  buffer: Buffer;
}
interface KafkajsRecordInput {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string>;
}
interface KafkajsBatchInput {
  compression?: number;
  firstOffset?: unknown;
  firstTimestamp: number;
  maxTimestamp: number;
  partitionLeaderEpoch?: number;
  lastOffsetDelta: number;
  transactional?: boolean;
  producerId?: unknown;
  producerEpoch?: number;
  firstSequence?: number;
  records: KafkaEncoder[];
}

const require = createRequire(import.meta.url);
const kafkajsRecordBatch = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch(o: KafkajsBatchInput): Promise<KafkaEncoder> };
const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: KafkajsRecordInput) => KafkaEncoder;
const kafkajsLong = require('kafkajs/src/utils/long') as { fromValue(v: string | number): unknown };

export const KAFKAJS_GZIP = 1;

/**
 * Encodes records the way kafkajs's producer does (Produce v3+): offset deltas 0..n-1, timestamps as
 * deltas from the first record's.
 */
export async function kafkajsBatch(
  records: Array<{ key: string | null; value: string | null; timestamp: number; headers?: Record<string, string> }>,
  o: { compression?: number; producerId?: bigint; producerEpoch?: number; firstSequence?: number; transactional?: boolean } = {},
): Promise<Buffer> {
  const first = records[0]?.timestamp ?? 0;
  const encoded = records.map((r, i) =>
    kafkajsRecord({
      offsetDelta: i,
      timestampDelta: r.timestamp - first,
      key: r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      headers: r.headers ?? {},
    }),
  );
  const batch = await kafkajsRecordBatch.RecordBatch({
    compression: o.compression ?? 0,
    firstTimestamp: first,
    maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
    lastOffsetDelta: records.length - 1,
    transactional: o.transactional ?? false,
    producerId: kafkajsLong.fromValue((o.producerId ?? -1n).toString()),
    producerEpoch: o.producerEpoch ?? 0,
    firstSequence: o.firstSequence ?? 0,
    records: encoded,
  });
  return Buffer.from(batch.buffer);
}
