/** The conformance client over kafkajs 2.2.4 (gzip is its only built-in codec). */
import { CompressionTypes, Kafka, logLevel, type Consumer, type IHeaders, type KafkaMessage, type Producer } from 'kafkajs';
import type { Codec, ConformanceClient, GroupMember, InMessage, LoopConsumer, OutMessage, TransactionalProducer } from './client.ts';
import { waitFor } from './client.ts';

const COMPRESSION: Partial<Record<Codec, CompressionTypes>> = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP };
const FAST_GROUP = { sessionTimeout: 10_000, heartbeatInterval: 500, rebalanceTimeout: 20_000, maxWaitTimeInMs: 250 };

function headersOf(h: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k] = Array.isArray(v) ? String(v[0]) : String(v);
  return out;
}

function toIn(topic: string, partition: number, m: KafkaMessage): InMessage {
  return { topic, partition, offset: BigInt(m.offset), key: m.key === null ? null : m.key.toString(), value: m.value?.toString() ?? '', headers: headersOf(m.headers) };
}

function toOut(m: OutMessage): { key: string | null; value: string; headers?: Record<string, string>; partition?: number } {
  return { key: m.key, value: m.value, ...(m.headers ? { headers: m.headers } : {}), ...(m.partition !== undefined ? { partition: m.partition } : {}) };
}

export async function kafkajsClient(brokers: string[]): Promise<ConformanceClient> {
  const kafka = new Kafka({ brokers, clientId: 'conformance-kafkajs', logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
  const admin = kafka.admin();
  await admin.connect();
  const closers: Array<() => Promise<void>> = [() => admin.disconnect()];
  const producers = new Map<string, Producer>();

  async function producerFor(idempotent: boolean): Promise<Producer> {
    const key = idempotent ? 'idempotent' : 'plain';
    let p = producers.get(key);
    if (!p) {
      p = kafka.producer(idempotent ? { idempotent: true, maxInFlightRequests: 1 } : {});
      await p.connect();
      producers.set(key, p);
      const created = p;
      closers.push(() => created.disconnect());
    }
    return p;
  }

  async function startConsumer(c: Consumer, topic: string, onMessage: (m: InMessage) => void, autoCommit = true): Promise<void> {
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({ autoCommit, eachMessage: async ({ topic: t, partition, message }) => onMessage(toIn(t, partition, message)) });
  }

  return {
    name: 'kafkajs',
    codecs: ['none', 'gzip'],
    async createTopic(topic, partitions) {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    },
    async produce(topic, messages, o = {}) {
      const p = await producerFor(o.idempotent ?? false);
      const compression = COMPRESSION[o.compression ?? 'none'];
      if (compression === undefined) throw new Error(`kafkajs has no built-in ${o.compression} codec`);
      await p.send({ topic, compression, messages: messages.map(toOut) });
    },
    async consume(topic, count, o = {}) {
      const c = kafka.consumer({ groupId: o.groupId ?? `conformance-read-${topic}-${Math.random()}`, readUncommitted: o.isolation === 'read_uncommitted', ...FAST_GROUP });
      const got: InMessage[] = [];
      try {
        await startConsumer(c, topic, (m) => got.push(m));
        await waitFor(`${count} messages from ${topic} (have ${got.length})`, () => got.length >= count, o.timeoutMs ?? 30_000);
      } finally {
        await c.disconnect();
      }
      return got;
    },
    async member(groupId, topic) {
      const c = kafka.consumer({ groupId, ...FAST_GROUP });
      const received: InMessage[] = [];
      let assigned: number[] = [];
      c.on(c.events.GROUP_JOIN, (e) => {
        assigned = [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
      });
      await startConsumer(c, topic, (m) => received.push(m));
      return {
        received,
        assignment: () => assigned,
        stop: async () => {
          await c.disconnect();
          assigned = [];
        },
      } satisfies GroupMember;
    },
    async loopConsumer(groupId, topic) {
      const c = kafka.consumer({ groupId, ...FAST_GROUP });
      const got: InMessage[] = [];
      await startConsumer(c, topic, (m) => got.push(m), false);
      closers.push(() => c.disconnect());
      return {
        groupId,
        async take(count, timeoutMs) {
          await waitFor(`${count} messages from ${topic}`, () => got.length >= count, timeoutMs);
          return got.splice(0, count);
        },
        stop: () => c.disconnect(),
      } satisfies LoopConsumer;
    },
    async transactional(transactionalId) {
      const p = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, retry: { retries: 2 } });
      await p.connect();
      let txn: Awaited<ReturnType<Producer['transaction']>> | null = null;
      const open = (): NonNullable<typeof txn> => {
        if (!txn) throw new Error('no open transaction');
        return txn;
      };
      return {
        async begin() {
          txn = await p.transaction();
        },
        async send(topic, messages) {
          await open().send({ topic, messages: messages.map(toOut) });
        },
        async sendOffsets(consumer, topic, offsets) {
          await open().sendOffsets({ consumerGroupId: consumer.groupId, topics: [{ topic, partitions: [...offsets].map(([partition, offset]) => ({ partition, offset: String(offset) })) }] });
        },
        async commit() {
          await open().commit();
          txn = null;
        },
        async abort() {
          await open().abort();
          txn = null;
        },
        close: () => p.disconnect(),
      } satisfies TransactionalProducer;
    },
    async committed(groupId, topic) {
      const res = await admin.fetchOffsets({ groupId, topics: [topic] });
      const out = new Map<number, bigint>();
      for (const p of res[0]?.partitions ?? []) if (p.offset !== '-1') out.set(p.partition, BigInt(p.offset));
      return out;
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => {});
    },
  };
}
