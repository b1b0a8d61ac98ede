import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startKafka, type KafkaHarness } from '../../harness/kafka.ts';
import { streamLogger } from '../../harness/logger.ts';
import { uniqueName } from '../../harness/names.ts';

function client(brokers: string[]): Kafka {
  return new Kafka({ clientId: uniqueName('harness-test'), brokers, logLevel: logLevel.NOTHING });
}

async function createTopic(kafka: Kafka, topic: string, numPartitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

async function produce(kafka: Kafka, topic: string, messages: Array<{ key: string; value: string }>): Promise<void> {
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  try {
    // acks -1: on a single node, "acknowledged" means the broker wrote it to its log.
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

interface Consumed {
  partition: number;
  key: string;
  value: string;
}

/** Reads from the start of `topic` in a fresh group until `count` messages arrived. */
async function consume(kafka: Kafka, topic: string, count: number, timeoutMs = 60_000): Promise<Consumed[]> {
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('harness-test-group') });
  const received: Consumed[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consuming ${topic}: got ${received.length} of ${count} messages in ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
            received.push({ partition, key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
            if (received.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

const tenKeyed = Array.from({ length: 10 }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` }));

describe('the shared Kafka from global setup', () => {
  it('creates a 3-partition topic, takes 10 keyed messages and gives them back to a consumer group', async () => {
    const brokers = inject('kafkaBrokers');
    expect(brokers.length).toBeGreaterThan(0);
    const kafka = client(brokers);
    const topic = uniqueName('harness-keyed');
    await createTopic(kafka, topic, 3);

    const admin = kafka.admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(metadata.topics[0]?.partitions).toHaveLength(3);

    await produce(kafka, topic, tenKeyed);
    const received = await consume(kafka, topic, 10);

    expect(received.map(({ key, value }) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key))).toEqual(tenKeyed);
    // Keyed records land by key hash: every record with one key is in one partition, and ten keys
    // over three partitions use more than one.
    const partitionsByKey = new Map(received.map((m) => [m.key, m.partition]));
    expect(partitionsByKey.size).toBe(10);
    expect(new Set(partitionsByKey.values()).size).toBeGreaterThan(1);
  });
});

describe('a harness-owned Kafka', () => {
  let kafka: KafkaHarness;

  beforeAll(async () => {
    // Its own broker, never the shared KAFKA_BROKERS cluster: this one gets restarted and killed.
    kafka = await startKafka({ kinds: ['testcontainers', 'jars'], logger: streamLogger('kafka-restart-test', process.stderr) });
  });

  afterAll(async () => {
    await kafka?.stop();
  });

  it('keeps its data across restart()', async () => {
    expect(kafka.restart).toBeTypeOf('function');
    const topic = uniqueName('harness-restart');
    await createTopic(client(kafka.brokers), topic, 3);
    await produce(client(kafka.brokers), topic, tenKeyed);

    await kafka.restart?.();

    const received = await consume(client(kafka.brokers), topic, 10);
    expect(received.map((m) => m.value).sort()).toEqual(tenKeyed.map((m) => m.value).sort());
  });

  it('keeps acknowledged data across kill() (SIGKILL) and restart()', async () => {
    expect(kafka.kill).toBeTypeOf('function');
    const topic = uniqueName('harness-kill');
    await createTopic(client(kafka.brokers), topic, 1);
    await produce(client(kafka.brokers), topic, tenKeyed);

    await kafka.kill?.();
    await kafka.restart?.();

    const received = await consume(client(kafka.brokers), topic, 10);
    expect(received.map((m) => m.value)).toEqual(tenKeyed.map((m) => m.value));
  });
});
