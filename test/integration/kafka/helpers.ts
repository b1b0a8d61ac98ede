import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { createKafkaClient, type Admin, type ConsumedMessage, type Consumer, type ConsumerOptions, type KafkaClient, type TopicPartition } from '../../../src/kafka/index.ts';
import type { Logger } from '../../../src/sdk/logger.ts';

/** A topic or group name no other test or earlier run against the same cluster has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

export interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  msg: string | undefined;
}

/** Collects log lines so tests can assert on warnings; set KAFKA_TEST_LOGS=1 to also print them. */
export function recordingLogger(lines: LogLine[] = []): Logger {
  const print = process.env.KAFKA_TEST_LOGS === '1';
  const at =
    (level: string, bindings: Record<string, unknown>) =>
    (obj: object, msg?: string): void => {
      const fields = { ...bindings, ...(obj as Record<string, unknown>) };
      lines.push({ level, fields, msg });
      if (print) process.stderr.write(`[kafka-test] ${level} ${msg ?? ''} ${JSON.stringify(fields, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}\n`);
    };
  const make = (bindings: Record<string, unknown>): Logger => ({
    trace: at('trace', bindings),
    debug: at('debug', bindings),
    info: at('info', bindings),
    warn: at('warn', bindings),
    error: at('error', bindings),
    child: (more) => make({ ...bindings, ...more }),
  });
  return make({});
}

export function testClient(logger: Logger = recordingLogger()): KafkaClient {
  // Short backoffs: the broker is local, and a test should fail in seconds, not minutes.
  return createKafkaClient({ brokers: inject('kafkaBrokers') }, { logger, clientId: 'tributary-test', retry: { initialRetryTimeMs: 100, maxRetryTimeMs: 2_000, retries: 5 } });
}

/** A client and a connected admin for one describe; topics made with `topic()` are deleted after it. */
export interface TestKafka {
  readonly client: KafkaClient;
  readonly admin: Admin;
  /** A new topic named after `prefix`, deleted when the describe ends. */
  topic(prefix: string, partitions: number): Promise<string>;
}

/** Registers the describe's beforeAll/afterAll for a TestKafka; call it before hooks that use it, so it is torn down after them. */
export function useTestKafka(): TestKafka {
  let client: KafkaClient | undefined;
  let admin: Admin | undefined;
  const topics: string[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the test Kafka client is only there while the describe runs');
    return value;
  };
  beforeAll(async () => {
    client = testClient();
    admin = client.admin();
    await admin.connect();
  });
  afterAll(async () => {
    if (admin === undefined) return;
    await admin.deleteTopics(topics);
    await admin.disconnect();
  });
  return {
    get client() {
      return ready(client);
    },
    get admin() {
      return ready(admin);
    },
    async topic(prefix, partitions) {
      const name = uniqueName(prefix);
      topics.push(name);
      await ready(admin).ensureTopics([{ topic: name, partitions }]);
      return name;
    },
  };
}

export interface Received extends ConsumedMessage {
  topic: string;
  partition: number;
}

/** Polls `condition` until it holds or `timeoutMs` passes; then throws naming `what`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs a consumer that records every message and commits nothing, until `count` messages arrived.
 * Returns what it received and disconnects.
 */
export async function consumeCount(client: KafkaClient, topics: string[], count: number, options: Partial<ConsumerOptions> = {}, settleMs = 0): Promise<Received[]> {
  const received: Received[] = [];
  const consumer = client.consumer({ groupId: uniqueName('read'), ...options });
  await consumer.connect();
  try {
    await consumer.subscribe(topics);
    let crash: Error | undefined;
    await consumer.run({
      eachBatch: async (batch) => {
        for (const m of batch.messages) received.push({ ...m, topic: batch.topic, partition: batch.partition });
      },
      onCrash: (err) => {
        crash = err;
      },
    });
    await waitFor(`${count} messages (have ${received.length})`, () => received.length >= count || crash !== undefined);
    if (crash !== undefined) throw crash;
    // Lets records beyond `count` arrive, for tests that assert nothing more comes.
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
  } finally {
    await consumer.disconnect();
  }
  return received;
}

export function key(tp: TopicPartition): string {
  return `${tp.topic}[${tp.partition}]`;
}

export type { Consumer };
