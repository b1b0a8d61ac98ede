import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INVALID_CONFIG,
  INVALID_PARTITIONS,
  INVALID_TOPIC_EXCEPTION,
  LogError,
  TOPIC_ALREADY_EXISTS,
  UNKNOWN_TOPIC_OR_PARTITION,
} from '../../../src/broker/log/errors.ts';
import { LogManager, type MaintenanceTimers } from '../../../src/broker/log/log-manager.ts';
import { buildRecordBatch } from '../../../src/broker/log/record-batch.ts';
import { topicDirName } from '../../../src/broker/log/topic-config.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { manualClock, tempDir, testConfig } from './support.ts';

let dir: { path: string; cleanup(): Promise<void> };
const clock = manualClock();
const managers: LogManager[] = [];

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
  await dir.cleanup();
});

async function openManager(timers?: MaintenanceTimers): Promise<LogManager> {
  const m = await LogManager.open(dir.path, testConfig(), { clock, logger: silentLogger, ...(timers ? { timers } : {}) });
  managers.push(m);
  return m;
}

async function codeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LogError) return err.errorCode;
    throw err;
  }
  return undefined;
}

const record = (v: string): Buffer => buildRecordBatch([{ key: Buffer.from('k'), value: Buffer.from(v), timestamp: 1n }]);

describe('LogManager', () => {
  it('persists topics, configs and data across a reopen', async () => {
    const m = await openManager();
    await m.createTopic('orders', 3, { 'cleanup.policy': 'compact', 'retention.ms': '3600000', 'segment.bytes': '1048576', 'max.message.bytes': '2000' });
    await m.createTopic('Mixed.Case_topic-1', 1, {});
    await m.partition('orders', 2)?.append([record('hello')]);
    const id = m.topic('orders')?.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.topic('orders')).toMatchObject({
      partitions: 3,
      config: { cleanupPolicy: 'compact', retentionMs: 3_600_000, segmentBytes: 1_048_576, maxMessageBytes: 2000 },
      raw: { 'cleanup.policy': 'compact' },
    });
    expect(m.partition('orders', 2)?.logConfig.maxMessageBytes).toBe(2000);
    await m.close();
    managers.splice(0);

    const again = await openManager();
    expect(again.topics()).toEqual(['Mixed.Case_topic-1', 'orders']);
    expect(again.topic('orders')).toMatchObject({ id, partitions: 3, config: { cleanupPolicy: 'compact' } });
    expect(again.partition('orders', 2)?.logEndOffset).toBe(1n);
    expect(again.partition('orders', 3)).toBeUndefined();
    const file = JSON.parse(await readFile(join(dir.path, 'topics', 'orders', 'topic.json'), 'utf8')) as { name: string };
    expect(file.name).toBe('orders');
  });

  it('maps topic names to directories that survive case-insensitive file systems', async () => {
    expect(topicDirName('Orders')).toBe('+orders');
    expect(topicDirName('orders')).toBe('orders');
    const m = await openManager();
    await m.createTopic('Orders', 1, {});
    await m.createTopic('orders', 1, {});
    expect((await readdir(join(dir.path, 'topics'))).sort()).toEqual(['+orders', 'orders']);
  });

  it('validates names, partition counts and configs like Kafka', async () => {
    const m = await openManager();
    await m.createTopic('a.b', 1, {});
    expect(await codeOf(m.createTopic('a.b', 1, {}))).toBe(TOPIC_ALREADY_EXISTS);
    expect(await codeOf(m.createTopic('a_b', 1, {}))).toBe(INVALID_TOPIC_EXCEPTION);
    expect(await codeOf(m.createTopic('bad/name', 1, {}))).toBe(INVALID_TOPIC_EXCEPTION);
    expect(await codeOf(m.createTopic('..', 1, {}))).toBe(INVALID_TOPIC_EXCEPTION);
    expect(await codeOf(m.createTopic('x'.repeat(250), 1, {}))).toBe(INVALID_TOPIC_EXCEPTION);
    expect(await codeOf(m.createTopic('', 1, {}))).toBe(INVALID_TOPIC_EXCEPTION);
    expect(await codeOf(m.createTopic('zero', 0, {}))).toBe(INVALID_PARTITIONS);
    expect(await codeOf(m.createTopic('cfg1', 1, { 'retention.ms': 'soon' }))).toBe(INVALID_CONFIG);
    expect(await codeOf(m.createTopic('cfg2', 1, { 'no.such.config': '1' }))).toBe(INVALID_CONFIG);
    expect(await codeOf(m.createTopic('cfg3', 1, { 'cleanup.policy': 'shred' }))).toBe(INVALID_CONFIG);
    expect(await codeOf(m.createTopic('cfg4', 1, { 'segment.bytes': '10' }))).toBe(INVALID_CONFIG);
    expect(m.topics()).toEqual(['a.b']);
    await m.createTopic('forever', 1, { 'retention.ms': '9223372036854775807', 'flush.ms': '9223372036854775807', 'cleanup.policy': 'delete,compact' });
    expect(m.topic('forever')?.config).toMatchObject({ retentionMs: Number.MAX_SAFE_INTEGER, cleanupPolicy: 'compact,delete' });
  });

  it('deletes topics and their files', async () => {
    const m = await openManager();
    await m.createTopic('doomed', 2, {});
    const log = m.partition('doomed', 0);
    await m.deleteTopic('doomed');
    expect(m.topic('doomed')).toBeUndefined();
    expect(m.partition('doomed', 0)).toBeUndefined();
    expect(await codeOf(log!.append([record('late')]))).toBe(UNKNOWN_TOPIC_OR_PARTITION);
    expect(await readdir(join(dir.path, 'topics'))).toEqual([]);
    expect(await codeOf(m.deleteTopic('doomed'))).toBe(UNKNOWN_TOPIC_OR_PARTITION);
    await m.createTopic('doomed', 1, {});
    expect(m.partition('doomed', 0)?.logEndOffset).toBe(0n);
  });

  it('alters configs and adds partitions', async () => {
    const m = await openManager();
    await m.createTopic('t', 1, {});
    await m.alterTopicConfig('t', { 'max.message.bytes': '100' });
    expect(m.partition('t', 0)?.logConfig.maxMessageBytes).toBe(100);
    await m.createPartitions('t', 3);
    expect(m.topic('t')?.partitions).toBe(3);
    expect(await codeOf(m.createPartitions('t', 2))).toBe(INVALID_PARTITIONS);
    await m.close();
    managers.splice(0);
    const again = await openManager();
    expect(again.topic('t')).toMatchObject({ partitions: 3, raw: { 'max.message.bytes': '100' } });
    expect(again.partition('t', 2)).toBeDefined();
  });

  it('runs maintenance on injected timers', async () => {
    const pending: Array<{ fn: () => void; cancelled: boolean }> = [];
    const timers: MaintenanceTimers = {
      setTimeout(fn) {
        const t = { fn, cancelled: false };
        pending.push(t);
        return { cancel: () => void (t.cancelled = true) };
      },
    };
    const m = await LogManager.open(dir.path, testConfig({ segmentBytes: 200, retentionMs: 1000 }), { clock, logger: silentLogger, timers });
    managers.push(m);
    await m.createTopic('t', 1, {});
    const log = m.partition('t', 0)!;
    for (let i = 0; i < 5; i++) {
      await log.append([buildRecordBatch([{ key: null, value: Buffer.from(`v${i}`.padEnd(60)), timestamp: BigInt(clock.now()) }])]);
    }
    clock.advance(10_000);
    m.startMaintenance(500);
    expect(pending).toHaveLength(1);
    pending[0]!.fn();
    await m.runMaintenance();
    expect(log.logStartOffset).toBe(5n);
    expect(pending).toHaveLength(2);
    await m.close();
    expect(pending[1]!.cancelled).toBe(true);
  });

  it('cleans up a topic directory left by an interrupted create', async () => {
    const m = await openManager();
    await m.createTopic('ok', 1, {});
    await m.close();
    managers.splice(0);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir.path, 'topics', 'half~creating', '0'), { recursive: true });
    const again = await openManager();
    expect(again.topics()).toEqual(['ok']);
    expect(await readdir(join(dir.path, 'topics'))).toEqual(['ok']);
  });
});
