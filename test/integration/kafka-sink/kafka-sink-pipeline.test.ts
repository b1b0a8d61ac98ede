import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient, partitionForKey, type KafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { silentLogger, systemClock } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';
import { envCount, readTopic } from '../exactly-once/support.ts';

const COUNT = envCount('TRIBUTARY_KAFKA_SINK_COUNT', 3000);

interface Order {
  id: number;
  user_id: number;
  status: string;
}

describe('pipeline: datagen -> topic -> kafka sink (filter, re-key) -> topic', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let client: KafkaClient;
  beforeAll(async () => {
    dir = await tempDir('tributary-kafka-sink');
    client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'kafka-sink-pipeline-test' });
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('writes every record the transforms keep, once, re-keyed into the partition Java would choose', async () => {
    const name = uniqueName('kafka-sink');
    const input = `${name}.orders`;
    const output = `${input}.by-user`;
    const file = await writePipeline(
      dir.path,
      name,
      `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: datagen
  config: { kind: orders, seed: 11, count: ${COUNT}, batchSize: 200 }
topic: { name: ${input}, partitions: 3 }
keySerializer: { format: string }
sinks:
  - name: by-user
    connector: kafka
    workers: 2
    batchSize: 100
    delivery: exactly-once
    transforms:
      - { type: filter, predicate: { type: field-matches, field: status, equals: cancelled } }
    config: { brokers: [${brokers.join(', ')}], topic: "\${topic}.by-user", keyField: user_id }
`,
    );
    const registry = createBuiltinRegistry();
    const { spec, errors } = await loadPipelineFile(file, { env: {}, registry });
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');
    const runner = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'all', exitWhenDone: true, progressIntervalMs: 60_000 });
    const summary = await runner.run(new AbortController().signal);
    expect(summary.source?.produced).toBe(COUNT);

    const orders = (await readTopic(client, input)).map((m) => JSON.parse(m.value?.toString() ?? '') as Order);
    const kept = orders.filter((o) => o.status !== 'cancelled');
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(COUNT);

    const out = await readTopic(client, output);
    const ids = out.map((m) => (JSON.parse(m.value?.toString() ?? '') as Order).id);
    expect(ids.length).toBe(kept.length);
    expect(new Set(ids).size).toBe(kept.length);
    for (const m of out) {
      const order = JSON.parse(m.value?.toString() ?? '') as Order;
      expect(order.status).not.toBe('cancelled');
      expect(m.key?.toString()).toBe(String(order.user_id));
      expect(m.partition).toBe(partitionForKey(Buffer.from(String(order.user_id)), 3));
    }
    expect(summary.sinks.reduce((n, s) => n + s.dropped, 0)).toBe(COUNT - kept.length);
  });
});
