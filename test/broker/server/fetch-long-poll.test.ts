import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../src/broker/index.ts';
import { buildRecordBatch } from '../../../src/broker/log/record-batch.ts';
import { ApiKey } from '../../../src/broker/protocol/api.ts';
import * as createTopicsV3 from '../../../src/broker/protocol/create-topics/create-topics-v3.ts';
import * as fetchV11 from '../../../src/broker/protocol/fetch/fetch-v11.ts';
import * as metadataV1 from '../../../src/broker/protocol/metadata/metadata-v1.ts';
import * as produceV7 from '../../../src/broker/protocol/produce/produce-v7.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { WireClient } from './wire-client.ts';

let dataDir: string;
let broker: EmbeddedBroker;
const clients: WireClient[] = [];

async function client(): Promise<WireClient> {
  const c = await WireClient.connect(broker.port);
  clients.push(c);
  return c;
}

function fetchRequest(topic: string, maxWaitMs: number) {
  return {
    replicaId: -1,
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1024 * 1024,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1024 * 1024 }] }],
    forgottenTopicsData: [],
    rackId: '',
  };
}

async function produce(c: WireClient, topic: string, value: string): Promise<void> {
  const records = buildRecordBatch([{ key: null, value: Buffer.from(value), timestamp: BigInt(Date.now()) }]);
  const res = await c.send(ApiKey.Produce, 7, produceV7, { transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
  expect(res.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tributary-long-poll-'));
  broker = await EmbeddedBroker.start({ dataDir, logger: silentLogger });
  const admin = await client();
  const res = await admin.send(ApiKey.CreateTopics, 3, createTopicsV3, {
    topics: ['waits', 'times-out', 'ordered'].map((name) => ({ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] })),
    timeoutMs: 5000,
    validateOnly: false,
  });
  expect(res.topics.map((t) => t.errorCode)).toEqual([0, 0, 0]);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await broker?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Fetch long poll', () => {
  it('parks until an append arrives, then answers at once with it', async () => {
    const consumer = await client();
    const started = Date.now();
    const pending = consumer.send(ApiKey.Fetch, 11, fetchV11, fetchRequest('waits', 10_000));
    await new Promise((r) => setTimeout(r, 200));
    await produce(await client(), 'waits', 'hello');
    const res = await pending;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(5_000);
    const p = res.responses[0]?.partitions[0];
    expect(p?.highWatermark).toBe(1n);
    expect(p?.records?.length).toBeGreaterThan(61);
  });

  it('answers empty after max_wait_ms when nothing arrives', async () => {
    const consumer = await client();
    const started = Date.now();
    const res = await consumer.send(ApiKey.Fetch, 11, fetchV11, fetchRequest('times-out', 300));
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(res.responses[0]?.partitions[0]?.records?.length ?? 0).toBe(0);
  });

  it('holds later responses on the same connection behind a parked fetch', async () => {
    const c = await client();
    const order: string[] = [];
    const fetched = c.send(ApiKey.Fetch, 11, fetchV11, fetchRequest('ordered', 400)).then(() => order.push('fetch'));
    const meta = c.send(ApiKey.Metadata, 1, metadataV1, { topics: [{ name: 'ordered' }] }).then(() => order.push('metadata'));
    await Promise.all([fetched, meta]);
    expect(order).toEqual(['fetch', 'metadata']);
  });

  it('ends parked fetches when the broker stops', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-long-poll-stop-'));
    const b = await EmbeddedBroker.start({ dataDir: dir, logger: silentLogger });
    try {
      const c = await WireClient.connect(b.port);
      await c.send(ApiKey.CreateTopics, 3, createTopicsV3, { topics: [{ name: 'parked', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false });
      const parked = c.send(ApiKey.Fetch, 11, fetchV11, fetchRequest('parked', 30_000)).catch((err: unknown) => err);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      await b.stop();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await parked).toBeInstanceOf(Error);
    } finally {
      await b.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
