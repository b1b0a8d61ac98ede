import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaSinkTask, transactionalId, type KafkaSinkConfig } from '../../../connectors/kafka/index.ts';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { silentLogger, systemClock, type SinkRecord } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { rejection } from '../../support/rejection.ts';
import { readTopic } from '../exactly-once/support.ts';

const PIPELINE = 'sink-task';
const SINK = 'mirror';

/** Records `from`..`to` of `topic`[`partition`], keyed by their offset, the value `{ n: offset }`. */
function records(topic: string, partition: number, from: number, to: number): SinkRecord[] {
  const out: SinkRecord[] = [];
  for (let o = from; o <= to; o++) out.push({ topic, partition, offset: String(o), key: String(o), value: { n: o }, timestamp: Date.now(), headers: [{ key: 'trace', value: `t${o}` }] });
  return out;
}

describe('kafka sink task against real Kafka', () => {
  const brokers = inject('kafkaBrokers');
  let client: KafkaClient;
  const tasks: KafkaSinkTask[] = [];
  const topics: string[] = [];

  beforeAll(() => {
    client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'kafka-sink-task-test' });
  });
  afterAll(async () => {
    await Promise.allSettled(tasks.map((t) => t.stop()));
    const admin = client.admin();
    await admin.connect();
    await admin.deleteTopics(topics);
    await admin.disconnect();
  });

  async function setup(partitions = 2): Promise<{ input: string; output: string; group: string }> {
    const input = uniqueName('sink-in');
    const output = uniqueName('sink-out');
    topics.push(input, output);
    const admin = client.admin();
    await admin.connect();
    await admin.ensureTopics([{ topic: input, partitions }]);
    await admin.disconnect();
    return { input, output, group: uniqueName('sink-group') };
  }

  function task(group: string, config: Partial<KafkaSinkConfig> & { topic: string }): KafkaSinkTask {
    const t = new KafkaSinkTask({
      config: { brokers, ...config } as KafkaSinkConfig,
      pipeline: PIPELINE,
      sinkName: SINK,
      group,
      workerId: 0,
      logger: silentLogger,
      clock: systemClock,
    });
    tasks.push(t);
    return t;
  }

  async function committed(group: string, topic: string): Promise<Array<string | null>> {
    const admin = client.admin();
    await admin.connect();
    try {
      return (await admin.fetchCommittedOffsets(group, [topic])).map((c) => c.offset);
    } finally {
      await admin.disconnect();
    }
  }

  it('commits the output and the consumed offset in one transaction, and open() resumes from it', async () => {
    const { input, output, group } = await setup();
    const first = task(group, { topic: output });
    await first.start();
    expect(await first.open([{ topic: input, partition: 0 }, { topic: input, partition: 1 }])).toEqual([]);
    await first.put(records(input, 0, 0, 9), [{ topic: input, partition: 0, offset: '10' }]);
    await first.put(records(input, 1, 0, 2), [{ topic: input, partition: 1, offset: '3' }]);
    await first.stop();

    const out = await readTopic(client, output);
    expect(out).toHaveLength(13);
    // The output topic was created with the input's partition count; keys keep Java's placement.
    const byKey = new Map(out.map((m) => [m.key?.toString(), m]));
    expect(JSON.parse(byKey.get('7')?.value?.toString() ?? '')).toEqual({ n: 7 });
    expect(byKey.get('7')?.headers).toEqual([{ key: 'trace', value: Buffer.from('t7') }]);
    expect(new Set(out.map((m) => m.partition)).size).toBe(2);
    expect(await committed(group, input)).toEqual(['10', '3']);

    const second = task(group, { topic: output });
    await second.start();
    expect(await second.open([{ topic: input, partition: 0 }, { topic: input, partition: 1 }])).toEqual([
      { topic: input, partition: 0, offset: '10' },
      { topic: input, partition: 1, offset: '3' },
    ]);
    await second.stop();
  });

  it('fences the previous owner of a partition: the zombie fails with KAFKA_FENCED and commits nothing', async () => {
    const { input, output, group } = await setup(1);
    const tp = { topic: input, partition: 0 };
    const zombie = task(group, { topic: output });
    await zombie.start();
    await zombie.open([tp]);
    await zombie.put(records(input, 0, 0, 4), [{ ...tp, offset: '5' }]);

    // The partition moves to another member, which opens it while the zombie still runs.
    const owner = task(group, { topic: output });
    await owner.start();
    expect(await owner.open([tp])).toEqual([{ ...tp, offset: '5' }]);

    const err = await rejection(zombie.put(records(input, 0, 5, 9), [{ ...tp, offset: '10' }]));
    expect(err.code).toBe('KAFKA_FENCED');
    expect(err.retriable).toBe(false);
    // Broken for good: no second attempt sneaks through after a re-init.
    expect((await rejection(zombie.put(records(input, 0, 5, 9), [{ ...tp, offset: '10' }]))).code).toBe('KAFKA_FENCED');

    await owner.put(records(input, 0, 5, 9), [{ ...tp, offset: '10' }]);
    const offsets = (await readTopic(client, output)).map((m) => JSON.parse(m.value?.toString() ?? '') as { n: number }).map((v) => v.n);
    expect(offsets.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await committed(group, input)).toEqual(['10']);
  });

  it('aborts a transaction a crashed owner left open before reading the committed offsets', async () => {
    const { input, output, group } = await setup(1);
    const tp = { topic: input, partition: 0 };
    const first = task(group, { topic: output });
    await first.start();
    await first.open([tp]);
    await first.put(records(input, 0, 0, 1), [{ ...tp, offset: '2' }]);
    // A worker that died mid-batch: its transaction (records and offsets) was never committed.
    const kafka = new Kafka({ brokers, clientId: 'crashed-worker', logLevel: logLevel.NOTHING });
    const crashed = kafka.producer({ transactionalId: transactionalId(PIPELINE, SINK, tp), idempotent: true, maxInFlightRequests: 1 });
    await crashed.connect();
    const txn = await crashed.transaction();
    await txn.send({ topic: output, messages: [{ key: 'orphan', value: '{"n":-1}' }] });
    await txn.sendOffsets({ consumerGroupId: group, topics: [{ topic: input, partitions: [{ partition: 0, offset: '99' }] }] });
    await crashed.disconnect();

    const next = task(group, { topic: output });
    await next.start();
    expect(await next.open([tp])).toEqual([{ ...tp, offset: '2' }]);
    // Had the orphan stayed open, the last stable offset would stop before it and hide record 2.
    await next.put(records(input, 0, 2, 2), [{ ...tp, offset: '3' }]);
    const read = await readTopic(client, output);
    expect(read.map((m) => m.key?.toString())).toEqual(['0', '1', '2']);
  });

  it('rejects a batch with records it cannot encode before producing any of it', async () => {
    const { input, output, group } = await setup(1);
    const tp = { topic: input, partition: 0 };
    const t = task(group, { topic: output, valueFormat: 'bytes' });
    await t.start();
    await t.open([tp]);
    const batch = records(input, 0, 0, 2);
    (batch[1] as SinkRecord).value = Buffer.from('bytes are fine');
    const err = await rejection(t.put(batch, [{ ...tp, offset: '3' }]));
    expect(err.code).toBe('SINK_RECORD_REJECTED');
    expect((err.details.offsets as Array<{ offset: string }>).map((o) => o.offset)).toEqual(['0', '2']);
    expect(await committed(group, input)).toEqual([null]);
  });

  it('refuses input topics that are not on its cluster', async () => {
    const { output, group } = await setup(1);
    const t = task(group, { topic: output });
    await t.start();
    const err = await rejection(t.open([{ topic: uniqueName('elsewhere'), partition: 0 }]));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/brokers must name the cluster the pipeline reads from/);
  });
});
