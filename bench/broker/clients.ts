/**
 * The Kafka clients a benchmark drives, behind the three operations it times. Both use acks=all and
 * no compression; a client is created per broker and closed after its runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { ClientName } from './options.ts';

export interface BenchClient {
  readonly name: ClientName;
  /** Name and version, for the report. */
  readonly label: string;
  createTopic(topic: string, partitions: number): Promise<void>;
  /** One produce call carrying these values; resolves once all are acknowledged by every replica. */
  sendBatch(topic: string, values: Buffer[]): Promise<void>;
  /** One record, sent at once (no linger); resolves once acknowledged. */
  sendOne(topic: string, value: Buffer): Promise<void>;
  /** Reads the topic from its start in a fresh group until `count` records arrived, reporting each delivery. */
  consume(topic: string, count: number, onRecords: (n: number) => void): Promise<void>;
  close(): Promise<void>;
}

export async function createClient(name: ClientName, brokers: string[]): Promise<BenchClient | { unavailable: string }> {
  return name === 'kafkajs' ? kafkajsClient(brokers) : librdkafkaClient(brokers);
}

/**
 * Polls until `done()`; fails once nothing arrived for STALL_TIMEOUT_MS. Polling rather than waking on
 * each delivery keeps the per-record cost to a counter; the caller times deliveries itself, so the
 * poll interval does not show in the figures.
 */
async function pollUntil(done: () => boolean, lastProgressMs: () => number, what: string): Promise<void> {
  while (!done()) {
    if (Date.now() - lastProgressMs() > STALL_TIMEOUT_MS) throw new Error(`${what}: nothing arrived for ${STALL_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const STALL_TIMEOUT_MS = 60_000;
const POLL_MS = 20;

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

async function kafkajsClient(brokers: string[]): Promise<BenchClient> {
  const kafka = new Kafka({ brokers, clientId: 'tributary-bench', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return {
    name: 'kafkajs',
    label: `kafkajs ${packageVersion('kafkajs')}`,
    async createTopic(topic, partitions) {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    },
    async sendBatch(topic, values) {
      await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
    },
    async sendOne(topic, value) {
      await producer.send({ topic, acks: -1, messages: [{ value }] });
    },
    async consume(topic, count, onRecords) {
      const consumer = kafka.consumer({ groupId: `bench-${topic}-${process.hrtime.bigint()}`, maxWaitTimeInMs: 100 });
      let seen = 0;
      let lastMs = Date.now();
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            seen += batch.messages.length;
            lastMs = Date.now();
            onRecords(batch.messages.length);
          },
        });
        await pollUntil(() => seen >= count, () => lastMs, `kafkajs consuming ${count} records from ${topic} (have ${seen})`);
      } finally {
        await consumer.disconnect();
      }
    },
    async close() {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

// @confluentinc/kafka-javascript is an optional dependency (it builds librdkafka on install), so it
// is loaded dynamically and typed here by the members the benchmark uses.
interface RdProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(r: { topic: string; messages: Array<{ value: Buffer }> }): Promise<unknown>;
}
interface RdConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(s: { topics: string[] }): Promise<void>;
  run(c: { eachMessage: () => Promise<void> }): Promise<void>;
}
interface RdAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  createTopics(o: { topics: Array<{ topic: string; numPartitions: number }> }): Promise<boolean>;
}
interface RdKafka {
  producer(c: Record<string, unknown>): RdProducer;
  consumer(c: Record<string, unknown>): RdConsumer;
  admin(c?: Record<string, unknown>): RdAdmin;
}
interface RdModule {
  KafkaJS: { Kafka: new (c: Record<string, unknown>) => RdKafka; logLevel: { NOTHING: number } };
  librdkafkaVersion: string;
}

async function librdkafkaClient(brokers: string[]): Promise<BenchClient | { unavailable: string }> {
  let rd: RdModule;
  try {
    const mod = (await import('@confluentinc/kafka-javascript')) as { default?: unknown } & Record<string, unknown>;
    rd = (mod.default ?? mod) as RdModule;
  } catch (err) {
    return { unavailable: `@confluentinc/kafka-javascript does not load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
  const kafka = new rd.KafkaJS.Kafka({ kafkaJS: { brokers, clientId: 'tributary-bench', logLevel: rd.KafkaJS.logLevel.NOTHING } });
  const admin = kafka.admin();
  await admin.connect();
  // Batches: librdkafka gathers records for up to linger.ms into one request, its usual setting.
  const batching = kafka.producer({ kafkaJS: { acks: -1 }, 'linger.ms': 5 });
  // One at a time: nothing to wait for, so every record leaves at once.
  const immediate = kafka.producer({ kafkaJS: { acks: -1 }, 'linger.ms': 0 });
  await batching.connect();
  await immediate.connect();
  return {
    name: 'librdkafka',
    label: `librdkafka ${rd.librdkafkaVersion} (@confluentinc/kafka-javascript ${packageVersion('@confluentinc/kafka-javascript')})`,
    async createTopic(topic, partitions) {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
    },
    async sendBatch(topic, values) {
      await batching.send({ topic, messages: values.map((value) => ({ value })) });
    },
    async sendOne(topic, value) {
      await immediate.send({ topic, messages: [{ value }] });
    },
    async consume(topic, count, onRecords) {
      const consumer = kafka.consumer({ kafkaJS: { groupId: `bench-${topic}-${process.hrtime.bigint()}`, fromBeginning: true, autoCommit: false } });
      let seen = 0;
      let lastMs = Date.now();
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic] });
        void consumer.run({
          eachMessage: async () => {
            seen += 1;
            lastMs = Date.now();
            onRecords(1);
          },
        });
        await pollUntil(() => seen >= count, () => lastMs, `librdkafka consuming ${count} records from ${topic} (have ${seen})`);
      } finally {
        await consumer.disconnect();
      }
    },
    async close() {
      await batching.disconnect();
      await immediate.disconnect();
      await admin.disconnect();
    },
  };
}
