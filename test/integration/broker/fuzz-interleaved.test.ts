/**
 * Fuzz frames interleaved with real client traffic: while a kafkajs producer and consumer group work
 * against the embedded broker, other connections throw noise, truncated and oversized frames,
 * unknown API keys and well-formed requests with random values at it for BROKER_FUZZ_SECONDS
 * (default 10). The real client must never see an error, and every record it was told was written
 * must be read back, once, in order.
 */
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../src/broker/index.ts';
import { buildApiTable } from '../../../src/broker/handler/api-table.ts';
import type { BrokerServices } from '../../../src/broker/handler/context.ts';
import type { Logger } from '../../../src/sdk/logger.ts';
import { waitFor } from '../../conformance/support/client.ts';
import { fuzzFrame, requestFiles, type FuzzKind } from '../../broker/server/random-requests.ts';

const SECONDS = Number(process.env.BROKER_FUZZ_SECONDS ?? '10');
const FUZZ_CONNECTIONS = 4;
const KINDS: FuzzKind[] = ['noise', 'header-over-noise', 'truncated', 'oversized', 'random-request', 'random-request', 'random-request', 'unknown-api'];

/** The broker's warnings about fuzz are expected; errors (a handler that threw) are collected. */
function collectingLogger(errors: string[]): Logger {
  const logger: Logger = {
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (obj, msg) => errors.push(`${msg ?? ''} ${JSON.stringify(obj, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Error ? v.stack : v))}`),
    child: () => logger,
  };
  return logger;
}

/** One fuzzing connection: sends frames until told to stop, reconnecting whenever the broker hangs up. */
async function fuzzLoop(port: number, until: () => boolean, frame: (n: number) => { bytes: Buffer; close: boolean }, sent: { frames: number }): Promise<void> {
  let n = 0;
  while (!until()) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('data', () => {});
    await new Promise<void>((resolve) => {
      socket.once('connect', resolve);
      socket.once('error', () => resolve());
    });
    let open = !socket.destroyed;
    socket.once('close', () => (open = false));
    socket.on('error', () => {});
    // A few frames per connection, so some land on a connection that earlier frames did not kill.
    for (let i = 0; i < 1 + randomInt(4) && open && !until(); i++) {
      const f = frame(n++);
      socket.write(f.bytes);
      sent.frames += 1;
      if (f.close) break;
      await new Promise((resolve) => setTimeout(resolve, randomInt(0, 5)));
    }
    socket.destroy();
  }
}

describe('embedded broker under fuzz interleaved with a real client', () => {
  let dataDir = '';
  let broker: EmbeddedBroker | null = null;

  afterAll(async () => {
    await broker?.stop();
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
  });

  it(`keeps serving kafkajs without a single error for ${SECONDS} s of fuzz`, { timeout: (SECONDS + 120) * 1000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tributary-fuzz-'));
    const brokerErrors: string[] = [];
    broker = await EmbeddedBroker.start({ dataDir, logger: collectingLogger(brokerErrors), maxFrameBytes: 1024 * 1024 });
    const port = Number(broker.bootstrap.split(':')[1]);
    const table = buildApiTable({} as BrokerServices);
    const requests = await requestFiles((apiKey, version) => table.get(apiKey)?.codec(version)?.flexible ?? false);

    const clientErrors: string[] = [];
    const logCreator = () => (entry: LogEntry) => {
      if (entry.level <= logLevel.ERROR) clientErrors.push(`${entry.namespace}: ${entry.log.message}`);
    };
    const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'fuzz-victim', logLevel: logLevel.ERROR, logCreator });
    const topic = `fuzz-victim-${randomInt(1e9)}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 500 });
    const received = new Map<number, string[]>();
    let crashed: unknown = null;
    consumer.on(consumer.events.CRASH, (e) => (crashed = e.payload.error));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.set(partition, [...(received.get(partition) ?? []), message.value?.toString() ?? '']);
      },
    });

    const deadline = Date.now() + SECONDS * 1000;
    const over = (): boolean => Date.now() >= deadline;
    const sent = { frames: 0 };
    const fuzzers = Array.from({ length: FUZZ_CONNECTIONS }, () =>
      fuzzLoop(port, over, (n) => fuzzFrame(KINDS[randomInt(KINDS.length)] as FuzzKind, requests, n), sent),
    );

    // The real traffic: keyed batches acknowledged one after another, metadata and offset lookups between.
    let batches = 0;
    while (!over()) {
      const messages = Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 6}`, value: `b${batches}-m${i}` }));
      const result = await producer.send({ topic, acks: -1, messages });
      for (const r of result) if (r.errorCode !== 0) clientErrors.push(`produce answered ${r.errorCode}`);
      batches += 1;
      if (batches % 10 === 0) await admin.fetchTopicMetadata({ topics: [topic] });
      if (batches % 10 === 5) await admin.fetchTopicOffsets(topic);
    }
    await Promise.all(fuzzers);

    const total = batches * 20;
    await waitFor(`all ${total} records consumed`, () => [...received.values()].reduce((n, v) => n + v.length, 0) >= total, 60_000);
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();

    expect(sent.frames, 'fuzz frames sent').toBeGreaterThan(SECONDS * 10);
    expect(crashed).toBeNull();
    expect(clientErrors).toEqual([]);
    expect(brokerErrors).toEqual([]);
    const all = [...received.values()].flat();
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    // Within a partition, records arrive in the order they were produced.
    for (const values of received.values()) {
      const order = values.map((v) => {
        const m = /^b(\d+)-m(\d+)$/.exec(v);
        return Number(m?.[1]) * 100 + Number(m?.[2]);
      });
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});
