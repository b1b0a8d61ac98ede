import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EmbeddedBroker } from '../../../src/broker/index.ts';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { partitionForKey } from '../../../src/kafka/murmur2.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { systemClock } from '../../../src/sdk/clock.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { uniqueName } from '../../harness/names.ts';
import { readFileSinkOutput, tempDir, writePipeline } from './support.ts';

const COUNT = Number(process.env.TRIBUTARY_E2E_COUNT ?? 3000);

// The same pipeline and assertions against real Apache Kafka and against the embedded broker.
describe.each(['apache-kafka', 'embedded'] as const)('pipeline on %s: datagen -> 3 transforms -> JSON -> 6-partition topic -> 3 sink workers -> files', (kind) => {
  let brokers: string[] = [];
  let stopBroker: (() => Promise<void>) | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('tributary-e2e');
    if (kind === 'apache-kafka') {
      brokers = inject('kafkaBrokers');
    } else {
      const broker = await EmbeddedBroker.start({ dataDir: `${dir.path}/broker`, port: 0, logger: silentLogger });
      brokers = [broker.bootstrap];
      stopBroker = () => broker.stop();
    }
  });
  afterAll(async () => {
    await stopBroker?.();
    await dir.cleanup();
  });

  it('delivers every generated record, keyed records in the partition the Java client would choose', async () => {
    const name = uniqueName('e2e');
    const topic = `${name}.users`;
    const out = `${dir.path}/out`;
    const file = await writePipeline(
      dir.path,
      name,
      `name: ${name}
kafka:
  brokers: [${brokers.join(', ')}]
source:
  connector: datagen
  config: { kind: users, seed: 7, count: ${COUNT}, batchSize: 250 }
transforms:
  - { type: mask-field, fields: [email] }
  - { type: insert-field, staticField: origin, staticValue: e2e }
  - { type: replace-field, renames: { name: full_name } }
topic: { name: ${topic}, partitions: 6 }
serializer: { format: json }
keySerializer: { format: string }
sinks:
  - { name: files, connector: file, workers: 3, config: { directory: ${out} } }
`,
    );
    const registry = createBuiltinRegistry();
    const { spec, errors } = await loadPipelineFile(file, { env: {}, registry });
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');
    const client = createKafkaClient(spec.kafka ?? { brokers }, { logger: silentLogger, clientId: name });
    const runner = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'all', exitWhenDone: true, progressIntervalMs: 60_000 });
    const summary = await runner.run(new AbortController().signal);
    expect(summary.source?.produced).toBe(COUNT);

    const lines = await readFileSinkOutput(out);
    const ids = new Set<number>();
    for (const line of lines) {
      const id = Number(line.value.id);
      ids.add(id);
      // Transforms applied: email masked, static field inserted, name renamed.
      expect(line.value.email).toBe('');
      expect(line.value.origin).toBe('e2e');
      expect(line.value).toHaveProperty('full_name');
      expect(line.value).not.toHaveProperty('name');
      // The key is the id as a string; its partition is murmur2 as in Java's BuiltInPartitioner.
      expect(line.key).toBe(String(id));
      expect(line.partition).toBe(partitionForKey(Buffer.from(String(id)), 6));
      expect(line.topic).toBe(topic);
    }
    expect(ids.size).toBe(COUNT);
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(COUNT);
    // All three workers took part: six partitions spread over three members.
    expect(summary.sinks.filter((s) => s.written > 0).length).toBe(3);
  });
});
