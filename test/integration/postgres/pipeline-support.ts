import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { parsePipeline } from '../../../src/pipeline/load.ts';
import type { PipelineSpec } from '../../../src/pipeline/types.ts';
import { PipelineRunner, type PipelineSummary } from '../../../src/runtime/pipeline-runner.ts';
import { systemClock, silentLogger, type Logger } from '../../../src/sdk/index.ts';
import type { PostgresDatabase } from '../../harness/postgres.ts';
import { waitFor } from '../kafka/helpers.ts';

export function kafkaClient(brokers: string[], clientId: string): KafkaClient {
  return createKafkaClient({ brokers }, { logger: silentLogger, clientId, retry: { initialRetryTimeMs: 100, maxRetryTimeMs: 2_000, retries: 5 } });
}

export async function pipelineSpec(yaml: string, env: Record<string, string> = {}): Promise<PipelineSpec> {
  const { spec, errors } = await parsePipeline(yaml, 'test.yaml', { env, registry: createBuiltinRegistry() });
  if (spec === undefined) throw new Error(`pipeline does not load: ${JSON.stringify(errors)}`);
  return spec;
}

/** Creates the topic and sends JSON values (and keys) to it, in order, through the project's client. */
export async function produceJson(client: KafkaClient, topic: string, partitions: number, records: Array<{ key: unknown; value: unknown; partition?: number }>): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  await admin.ensureTopics([{ topic, partitions, replicationFactor: 1 }]);
  await admin.disconnect();
  const producer = client.producer({ idempotent: true });
  await producer.connect();
  const json = (v: unknown): Buffer | null => (v === null ? null : Buffer.from(JSON.stringify(v)));
  await producer.send(records.map((r) => ({ topic, key: json(r.key), value: json(r.value), ...(r.partition !== undefined ? { partition: r.partition } : {}) })));
  await producer.disconnect();
}

/** The next offset after the last record, per partition, of each topic (what a caught-up sink stores). */
export async function endOffsets(client: KafkaClient, topics: string[]): Promise<Map<string, bigint>> {
  const admin = client.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, BigInt(p.high));
  } finally {
    await admin.disconnect();
  }
  return ends;
}

/** True when the sink's offsets table has reached `ends` for every partition with records. */
export async function caughtUp(db: PostgresDatabase, group: string, ends: Map<string, bigint>): Promise<boolean> {
  const rows = await db.query<{ topic: string; partition: number; next_offset: string | null }>('SELECT topic, partition, next_offset FROM tributary_offsets WHERE group_id = $1', [group]).catch(() => []);
  const stored = new Map(rows.map((r) => [`${r.topic}:${r.partition}`, BigInt(r.next_offset ?? '0')]));
  return [...ends].every(([tp, end]) => end === 0n || (stored.get(tp) ?? 0n) >= end);
}

/**
 * Runs the pipeline's sinks (role sinks) until `done()` holds, then stops them as SIGTERM would and
 * returns the summary. A sink failure (errors.tolerance none) rejects with the pipeline's error.
 */
export async function runSinksUntil(spec: PipelineSpec, client: KafkaClient, done: () => Promise<boolean>, timeoutMs = 60_000, logger: Logger = silentLogger): Promise<PipelineSummary> {
  const controller = new AbortController();
  const runner = new PipelineRunner({ spec, registry: createBuiltinRegistry(), client, logger, clock: systemClock, role: 'sinks', exitWhenDone: false, progressIntervalMs: 60_000 });
  let failure: unknown;
  const running = runner.run(controller.signal).catch((err: unknown) => {
    failure = err;
    return undefined;
  });
  try {
    await waitFor('the sinks to catch up', async () => failure !== undefined || (await done()), timeoutMs);
  } finally {
    controller.abort('test done');
  }
  const summary = await running;
  if (failure !== undefined || summary === undefined) throw failure;
  return summary;
}
