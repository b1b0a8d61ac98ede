import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { silentLogger } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';
import { crashLoop, envCount, readTopic, startCli } from './support.ts';

const KILLS = envCount('TRIBUTARY_KAFKA_SINK_KILLS', 5);
/** Records per second from the source while the kills go on. */
const RATE = envCount('TRIBUTARY_KAFKA_SINK_SIGKILL_RATE', 400);
/** Records the last run adds after the kills, so the run ends by itself. */
const TAIL = 500;

describe('kafka sink, exactly once under SIGKILL', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let client: KafkaClient;
  beforeAll(async () => {
    dir = await tempDir('tributary-kafka-sigkill');
    client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'kafka-sink-sigkill-test' });
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  /** Records in `topic` visible to read_committed consumers (0 before the sink created it). */
  async function committedRecords(topic: string): Promise<number> {
    const admin = client.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topic)) return 0;
      // The last stable offset counts transaction markers too; it only has to grow with the output.
      return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
    } finally {
      await admin.disconnect();
    }
  }

  // Each restart after a SIGKILL waits about 30 s for the dead member's session to time out.
  it(`holds each input record once in the output topic (read_committed) after ${KILLS} SIGKILLs mid-stream`, { timeout: 45_000 * (KILLS + 2) }, async () => {
    const name = uniqueName('kafka-sigkill');
    const input = `${name}.orders`;
    const output = `${name}.copy`;
    const pipeline = (count: string, rate: string): string => `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: datagen
  config: { kind: orders, seed: 4, count: ${count}, rate: ${rate}, batchSize: 50 }
topic: { name: ${input}, partitions: 3 }
keySerializer: { format: string }
sinks:
  - name: copy
    connector: kafka
    workers: 2
    batchSize: 25
    delivery: exactly-once
    sessionTimeout: 6s
    config: { brokers: [${brokers.join(', ')}], topic: ${output} }
`;
    const endless = await writePipeline(dir.path, 'endless', pipeline('null', String(RATE)));
    const kills = await crashLoop({
      kills: KILLS,
      start: () => startCli(['run', endless]),
      progress: () => committedRecords(output),
      maxDelayMs: 700,
      progressTimeoutMs: 90_000,
    });

    // The same pipeline, now ending: it resumes after the last committed record and adds TAIL more.
    const total = (await readTopic(client, input)).length + TAIL;
    const finite = await writePipeline(dir.path, 'finite', pipeline(String(total), 'null'));
    const last = startCli(['run', finite]);
    const { code } = await last.exited;
    const context = `${kills.join('\n')}\n--- last run\n${last.tail()}`;
    expect(code, context).toBe(0);

    const ids = (await readTopic(client, output)).map((m) => (JSON.parse(m.value?.toString() ?? '') as { id: number }).id);
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    expect(repeated, `ids in the output more than once\n${context}`).toEqual([]);
    expect(counts.size, context).toBe(total);
    expect(Math.min(...counts.keys())).toBe(1);
    expect(Math.max(...counts.keys())).toBe(total);
  });
});
