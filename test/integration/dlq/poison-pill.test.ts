import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient, type KafkaClient, type ProduceRecord } from '../../../src/kafka/index.ts';
import { DlqHeaders } from '../../../src/runtime/dead-letter.ts';
import { replayGroup } from '../../../src/runtime/dlq-replay.ts';
import { silentLogger } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';
import { envCount, readTopic, runCli, type ReadMessage } from '../exactly-once/support.ts';
import { runSinksUntilCaughtUp } from './support.ts';

const COUNT = envCount('TRIBUTARY_POISON_COUNT', 300);
/** Every this-many-th record is malformed. */
const EVERY = 10;

function header(m: ReadMessage, key: string): string | undefined {
  const h = [...m.headers].reverse().find((x) => x.key === key);
  return h === undefined || h.value === null ? undefined : h.value.toString();
}

describe('poison pill: malformed records go to the dead-letter topic, good ones flow, replay brings them back after a fix', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let client: KafkaClient;
  beforeAll(async () => {
    dir = await tempDir('tributary-poison');
    client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'poison-pill-test' });
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('dead-letters exactly the malformed records with their origin, replays them once after the fix', { timeout: 180_000 }, async () => {
    const name = uniqueName('poison');
    const topic = `${name}.events`;
    const dlq = `${name}.dlq`;
    const out = join(dir.path, 'out');
    const admin = client.admin();
    await admin.connect();
    await admin.ensureTopics([{ topic, partitions: 3 }]);
    await admin.disconnect();

    // Good JSON and malformed text mixed, in three partitions; remember where each landed.
    const records: ProduceRecord[] = [];
    for (let i = 1; i <= COUNT; i++) {
      const bad = i % EVERY === 0;
      records.push({
        topic,
        partition: i % 3,
        key: Buffer.from(`k${i}`),
        value: Buffer.from(bad ? `{"id": ${i}, oops` : JSON.stringify({ id: i })),
        headers: [{ key: 'origin', value: 'poison-test' }],
      });
    }
    const producer = client.producer({ idempotent: true });
    await producer.connect();
    const results = await producer.send(records);
    await producer.disconnect();
    const where = new Map<string, { partition: number; offset: string }>();
    for (const r of results) {
      const inPartition = records.filter((x) => x.partition === r.partition);
      inPartition.forEach((x, n) => where.set(x.key?.toString() ?? '', { partition: r.partition, offset: (BigInt(r.baseOffset) + BigInt(n)).toString() }));
    }

    const pipeline = (valueFormat: string): string => `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source: { connector: datagen, config: { count: 0 } }
topic: { name: ${topic}, partitions: 3 }
serializer: { format: ${valueFormat} }
keySerializer: { format: string }
sinks:
  - { name: files, connector: file, delivery: exactly-once, workers: 2, batchSize: 16, config: { directory: ${out}, format: value } }
errors: { tolerance: all, deadLetterTopic: ${dlq} }
`;
    const broken = await writePipeline(dir.path, 'broken', pipeline('json'));
    const first = await runSinksUntilCaughtUp(broken, client);
    const bad = Math.floor(COUNT / EVERY);
    expect(first.sinks.reduce((n, s) => n + s.deadLettered, 0)).toBe(bad);

    // Every good record reached the sink once; none of the malformed ones did.
    const lines = async (): Promise<unknown[]> => {
      const all: unknown[] = [];
      for (const f of await readdir(out)) {
        if (!f.endsWith('.jsonl')) continue;
        for (const line of (await readFile(join(out, f), 'utf8')).split('\n')) if (line !== '') all.push(JSON.parse(line));
      }
      return all;
    };
    const good = (await lines()) as Array<{ id: number }>;
    expect(good.length).toBe(COUNT - bad);
    expect(new Set(good.map((v) => v.id)).size).toBe(COUNT - bad);
    expect(good.some((v) => v.id % EVERY === 0)).toBe(false);

    // The dead letters: the original bytes and headers, plus where and why they failed.
    const letters = await readTopic(client, dlq);
    expect(letters).toHaveLength(bad);
    for (const m of letters) {
      const key = m.key?.toString() ?? '';
      const i = Number(key.slice(1));
      expect(i % EVERY).toBe(0);
      expect(m.value?.toString()).toBe(`{"id": ${i}, oops`);
      expect(header(m, 'origin')).toBe('poison-test');
      expect(header(m, DlqHeaders.pipeline)).toBe(name);
      expect(header(m, DlqHeaders.stage)).toBe('sink.deserialize');
      expect(header(m, DlqHeaders.errorCode)).toBe('DESERIALIZATION_FAILED');
      expect(header(m, DlqHeaders.errorClass)).toBe('TributaryError');
      expect(header(m, DlqHeaders.errorMessage)).toMatch(new RegExp(`deserializing.*${topic}`));
      expect(header(m, DlqHeaders.topic)).toBe(topic);
      expect(header(m, DlqHeaders.partition)).toBe(String(where.get(key)?.partition));
      expect(header(m, DlqHeaders.offset)).toBe(where.get(key)?.offset);
    }

    // The fix: read values as text. A dry run says what would happen and changes nothing.
    const fixed = await writePipeline(dir.path, 'fixed', pipeline('string'));
    const endsBefore = await endOffsets(client, topic);
    const dry = await runCli(['dlq', 'replay', fixed, '--dry-run']);
    expect(dry.code, dry.output).toBe(0);
    expect(dry.output.match(/would go back to /g)?.length).toBe(bad);
    expect(dry.output).toContain(`would replay to their original topics`);
    expect(await endOffsets(client, topic)).toEqual(endsBefore);
    expect(await committed(client, replayGroup(name), dlq)).toEqual([null, null, null]);

    const replay = await runCli(['dlq', 'replay', fixed]);
    expect(replay.code, replay.output).toBe(0);
    expect(replay.output).toContain(`read ${bad} dead letters from ${dlq}`);
    expect(replay.output).toContain(`${bad} replayed to their original topics`);

    // Back in the topic, in their original partitions, without the dead-letter headers.
    const replayed = (await readTopic(client, topic)).filter((m) => BigInt(m.offset) >= (endsBefore.get(m.partition) ?? 0n));
    expect(replayed).toHaveLength(bad);
    for (const m of replayed) {
      expect(m.partition).toBe(where.get(m.key?.toString() ?? '')?.partition);
      expect(m.headers.map((h) => h.key)).toEqual(['origin']);
    }

    // The fixed pipeline's sink picks them up; nothing is written twice.
    await runSinksUntilCaughtUp(fixed, client);
    const all = await lines();
    expect(all.length).toBe(COUNT);
    const texts = all.filter((v): v is string => typeof v === 'string');
    expect(texts.sort()).toEqual(
      Array.from({ length: bad }, (_, n) => `{"id": ${(n + 1) * EVERY}, oops`).sort(),
    );

    // Progress was committed: a second replay has nothing to do.
    const again = await runCli(['dlq', 'replay', fixed]);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('no dead letters to replay');
  });
});

async function endOffsets(client: KafkaClient, topic: string): Promise<Map<number, bigint>> {
  const admin = client.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

async function committed(client: KafkaClient, group: string, topic: string): Promise<Array<string | null>> {
  const admin = client.admin();
  await admin.connect();
  try {
    return (await admin.fetchCommittedOffsets(group, [topic])).map((c) => c.offset);
  } finally {
    await admin.disconnect();
  }
}
