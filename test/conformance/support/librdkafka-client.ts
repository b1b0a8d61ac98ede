/**
 * The conformance client over librdkafka, through @confluentinc/kafka-javascript's KafkaJS-shaped API.
 * The package is an optional dependency (it compiles librdkafka on install), so it is loaded
 * dynamically and typed here by the few members the cases use.
 */
import type { Codec, ConformanceClient, GroupMember, InMessage, LoopConsumer, OutMessage, TransactionalProducer } from './client.ts';
import { waitFor } from './client.ts';

interface RdMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}
interface RdSendMessage {
  key: string | null;
  value: string;
  headers?: Record<string, string>;
  partition?: number;
}
interface RdClient {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}
interface RdProducer extends RdClient {
  send(r: { topic: string; messages: RdSendMessage[] }): Promise<unknown>;
  transaction(): Promise<RdProducer>;
  sendOffsets(a: { consumer: RdConsumer; topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> }): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}
interface RdConsumer extends RdClient {
  subscribe(s: { topics: string[] }): Promise<void>;
  run(c: { eachMessage: (p: { topic: string; partition: number; message: RdMessage }) => Promise<void> }): Promise<void>;
  assignment(): Array<{ topic: string; partition: number }>;
}
interface RdAdmin extends RdClient {
  createTopics(o: { topics: Array<{ topic: string; numPartitions: number }> }): Promise<boolean>;
  fetchOffsets(o: { groupId: string; topics: string[] }): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
}
interface RdKafka {
  producer(c: Record<string, unknown>): RdProducer;
  consumer(c: Record<string, unknown>): RdConsumer;
  admin(c?: Record<string, unknown>): RdAdmin;
}
interface KafkaJsModule {
  Kafka: new (c: Record<string, unknown>) => RdKafka;
  logLevel: { NOTHING: number };
}

/** Loads the module, or returns why it cannot be used. */
export async function loadLibrdkafka(): Promise<{ module: KafkaJsModule; version: string; features: string[] } | { missing: string }> {
  try {
    const mod = (await import('@confluentinc/kafka-javascript')) as { default?: Record<string, unknown> } & Record<string, unknown>;
    const root = (mod.default ?? mod) as { KafkaJS: KafkaJsModule; librdkafkaVersion: string; features: string[] };
    return { module: root.KafkaJS, version: root.librdkafkaVersion, features: root.features };
  } catch (err) {
    return { missing: err instanceof Error ? err.message : String(err) };
  }
}

const FAST_GROUP = { sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 250 };

function headersOf(h: RdMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k] = String(Array.isArray(v) ? v[0] : v);
  return out;
}

function toIn(topic: string, partition: number, m: RdMessage): InMessage {
  return { topic, partition, offset: BigInt(m.offset), key: m.key === null ? null : m.key.toString(), value: m.value?.toString() ?? '', headers: headersOf(m.headers) };
}

function toOut(m: OutMessage): RdSendMessage {
  return { key: m.key, value: m.value, ...(m.headers ? { headers: m.headers } : {}), ...(m.partition !== undefined ? { partition: m.partition } : {}) };
}

export function librdkafkaClientFactory(rd: KafkaJsModule, codecs: readonly Codec[]) {
  return async (brokers: string[]): Promise<ConformanceClient> => {
    const kafka = new rd.Kafka({ kafkaJS: { brokers, clientId: 'conformance-librdkafka', logLevel: rd.logLevel.NOTHING } });
    const admin = kafka.admin();
    await admin.connect();
    const closers: Array<() => Promise<void>> = [() => admin.disconnect()];
    const producers = new Map<string, RdProducer>();

    async function producerFor(compression: Codec, idempotent: boolean): Promise<RdProducer> {
      const key = `${compression}/${idempotent}`;
      let p = producers.get(key);
      if (!p) {
        p = kafka.producer({ kafkaJS: { idempotent, compression, acks: -1 }, 'linger.ms': 5 });
        await p.connect();
        producers.set(key, p);
        const created = p;
        closers.push(() => created.disconnect());
      }
      return p;
    }

    async function startConsumer(c: RdConsumer, topic: string, onMessage: (m: InMessage) => void): Promise<void> {
      await c.connect();
      await c.subscribe({ topics: [topic] });
      void c.run({ eachMessage: async ({ topic: t, partition, message }) => onMessage(toIn(t, partition, message)) });
    }

    return {
      name: 'librdkafka',
      codecs,
      async createTopic(topic, partitions) {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
      },
      async produce(topic, messages, o = {}) {
        const p = await producerFor(o.compression ?? 'none', o.idempotent ?? false);
        await p.send({ topic, messages: messages.map(toOut) });
      },
      async consume(topic, count, o = {}) {
        const c = kafka.consumer({
          kafkaJS: { groupId: o.groupId ?? `conformance-read-${topic}-${Math.random()}`, fromBeginning: true, readUncommitted: o.isolation === 'read_uncommitted', ...FAST_GROUP },
        });
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
        const c = kafka.consumer({ kafkaJS: { groupId, fromBeginning: true, ...FAST_GROUP } });
        const received: InMessage[] = [];
        let stopped = false;
        await startConsumer(c, topic, (m) => received.push(m));
        return {
          received,
          assignment: () =>
            stopped
              ? []
              : c
                  .assignment()
                  .filter((tp) => tp.topic === topic)
                  .map((tp) => tp.partition)
                  .sort((a, b) => a - b),
          stop: async () => {
            stopped = true;
            await c.disconnect();
          },
        } satisfies GroupMember;
      },
      async loopConsumer(groupId, topic) {
        const c = kafka.consumer({ kafkaJS: { groupId, fromBeginning: true, autoCommit: false, ...FAST_GROUP } });
        const got: InMessage[] = [];
        await startConsumer(c, topic, (m) => got.push(m));
        let stopped = false;
        const stop = async (): Promise<void> => {
          if (stopped) return;
          stopped = true;
          await c.disconnect();
        };
        closers.push(stop);
        return {
          groupId,
          consumer: c,
          async take(count, timeoutMs) {
            await waitFor(`${count} messages from ${topic}`, () => got.length >= count, timeoutMs);
            return got.splice(0, count);
          },
          stop,
        } satisfies LoopConsumer & { consumer: RdConsumer };
      },
      async transactional(transactionalId) {
        const p = kafka.producer({ kafkaJS: { transactionalId, idempotent: true } });
        await p.connect();
        let txn: RdProducer | null = null;
        const open = (): RdProducer => {
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
            const rdConsumer = (consumer as LoopConsumer & { consumer?: RdConsumer }).consumer;
            if (!rdConsumer) throw new Error('sendOffsets needs a consumer made by this client');
            await open().sendOffsets({ consumer: rdConsumer, topics: [{ topic, partitions: [...offsets].map(([partition, offset]) => ({ partition, offset: String(offset) })) }] });
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
  };
}
