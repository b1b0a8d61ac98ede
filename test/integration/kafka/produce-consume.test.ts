import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionForKey, type ProduceRecord, type Producer } from '../../../src/kafka/index.ts';
import { consumeCount, uniqueName, useTestKafka } from './helpers.ts';

describe('producing and consuming', () => {
  const kafka = useTestKafka();
  const { topic } = kafka;
  let producer: Producer;

  beforeAll(async () => {
    producer = kafka.client.producer({ idempotent: true });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  it('puts each keyed record in the partition the Java murmur2 rule computes', async () => {
    const t = await topic('keyed', 6);
    const keys = [...Array.from({ length: 150 }, (_, i) => `user-${i}`), '', 'Straße', '日本語', '😀', '👩‍💻'].map((k) => Buffer.from(k, 'utf8'));
    keys.push(Buffer.from([0x00]), Buffer.from([0xff, 0x80, 0x7f]), Buffer.alloc(37, 0xab));
    const results = await producer.send(keys.map((k, i) => ({ topic: t, key: k, value: Buffer.from(String(i)), timestamp: 1_700_000_000_000 + i })));
    // One base offset per partition that got records; all 6 should, with this many keys.
    expect(new Set(results.map((r) => r.partition)).size).toBe(6);
    expect(results.every((r) => r.topic === t && r.baseOffset === '0')).toBe(true);

    const received = await consumeCount(kafka.client, [t], keys.length);
    expect(received).toHaveLength(keys.length);
    for (const m of received) {
      expect(m.key).not.toBeNull();
      expect(m.partition).toBe(partitionForKey(m.key!, 6));
      expect(m.timestamp).toBe(1_700_000_000_000 + Number(m.value!.toString()));
    }
    // Within a partition, records keep send order and take consecutive offsets.
    for (let p = 0; p < 6; p++) {
      const inPartition = received.filter((m) => m.partition === p);
      expect(inPartition.map((m) => Number(m.value!.toString()))).toEqual([...inPartition.map((m) => Number(m.value!.toString()))].sort((a, b) => a - b));
      expect(inPartition.map((m) => m.offset)).toEqual(inPartition.map((_, i) => String(i)));
    }
  });

  it('spreads null-key records over all partitions and respects an explicit partition', async () => {
    const t = await topic('unkeyed', 6);
    await producer.send(Array.from({ length: 60 }, (_, i) => ({ topic: t, key: null, value: Buffer.from(`v${i}`) })));
    await producer.send([{ topic: t, partition: 5, key: Buffer.from('user-1'), value: Buffer.from('pinned') }]);
    const offsets = await kafka.admin.fetchTopicOffsets(t);
    expect(offsets.map((o) => Number(o.high))).toEqual([10, 10, 10, 10, 10, 11]);
    expect(partitionForKey(Buffer.from('user-1'), 6)).not.toBe(5);
  });

  it('passes headers through: repeated keys in order, bytes, empty values; a null value arrives empty (kafkajs limit)', async () => {
    const t = await topic('headers', 1);
    const record: ProduceRecord = {
      topic: t,
      key: null,
      value: null,
      headers: [
        { key: 'hop', value: 'source' },
        { key: 'binary', value: Buffer.from([0x00, 0xff]) },
        { key: 'hop', value: 'transform' },
        { key: 'hop', value: 'sink' },
        { key: 'empty', value: '' },
        { key: 'none', value: null },
      ],
    };
    await producer.send([record]);
    const [m] = await consumeCount(kafka.client, [t], 1);
    expect(m?.value).toBeNull();
    expect(m?.key).toBeNull();
    // Values come back as bytes; per key the order is the sent order (keys grouped, see headers.ts).
    expect(m?.headers.map((h) => [h.key, h.value === null ? null : Buffer.from(h.value).toString('hex')])).toEqual([
      ['hop', Buffer.from('source').toString('hex')],
      ['hop', Buffer.from('transform').toString('hex')],
      ['hop', Buffer.from('sink').toString('hex')],
      ['binary', '00ff'],
      ['empty', ''],
      ['none', ''],
    ]);
  });

  it('fails with KAFKA_REQUEST_FAILED, not by creating it, when the topic does not exist', async () => {
    const err = await producer.send([{ topic: uniqueName('missing'), key: null, value: Buffer.from('x') }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TributaryError', code: 'KAFKA_REQUEST_FAILED' });
  });

  it('reports KAFKA_UNAVAILABLE when no broker answers', async () => {
    const { createKafkaClient } = await import('../../../src/kafka/index.ts');
    const { silentLogger } = await import('../../../src/sdk/logger.ts');
    const dead = createKafkaClient({ brokers: ['127.0.0.1:1'] }, { logger: silentLogger, retry: { retries: 1, initialRetryTimeMs: 50, maxRetryTimeMs: 100 }, connectionTimeoutMs: 500 });
    const p = dead.producer();
    const err = await p.connect().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TributaryError', code: 'KAFKA_UNAVAILABLE', retriable: true });
    await p.disconnect();
  });
});
