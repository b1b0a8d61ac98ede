import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { TributaryError, silentLogger, systemClock } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';
import { envCount, readTopic, waitFor } from './support.ts';

const COUNT = envCount('TRIBUTARY_ZOMBIE_COUNT', 4000);

describe('zombie source task', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('tributary-zombie');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('fences the older copy of a source task: it fails with KAFKA_FENCED, writes nothing after, and read_committed sees no duplicate', async () => {
    const name = uniqueName('zombie');
    const topic = `${name}.users`;
    const file = await writePipeline(
      dir.path,
      name,
      `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: datagen
  config: { kind: users, seed: 2, count: ${COUNT}, rate: ${Math.ceil(COUNT / 8)}, batchSize: 20 }
topic: { name: ${topic}, partitions: 3 }
keySerializer: { format: string }
`,
    );
    const registry = createBuiltinRegistry();
    const { spec, errors } = await loadPipelineFile(file, { env: {}, registry });
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');
    // Two copies of the same source task, as when a worker presumed dead comes back.
    const copy = (): PipelineRunner =>
      new PipelineRunner({
        spec,
        registry,
        client: createKafkaClient(spec.kafka ?? { brokers }, { logger: silentLogger, clientId: name }),
        logger: silentLogger,
        clock: systemClock,
        role: 'source',
        exitWhenDone: true,
        progressIntervalMs: 60_000,
      });
    const older = copy();
    const olderRun = older.run(new AbortController().signal).then(
      () => undefined,
      (err: unknown) => err,
    );
    await waitFor('the first copy to commit records', () => (older.summary().source?.produced ?? 0) > COUNT / 10, 30_000);

    const newer = copy();
    const summary = await newer.run(new AbortController().signal);
    expect(summary.source?.exhausted).toBe(true);

    const fenced = await olderRun;
    expect(fenced, 'the older copy should have been fenced').toBeInstanceOf(TributaryError);
    expect((fenced as TributaryError).code).toBe('KAFKA_FENCED');
    const olderProduced = older.summary().source?.produced ?? 0;
    expect(olderProduced).toBeLessThan(COUNT);

    const ids = (await readTopic(createKafkaClient({ brokers }, { logger: silentLogger, clientId: name }), topic)).map(
      (m) => (JSON.parse(m.value?.toString() ?? '') as { id: number }).id,
    );
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1).map(([id]) => id), 'ids the two copies both committed').toEqual([]);
    expect(counts.size).toBe(COUNT);
    // Everything visible came from one committed sequence: the older copy's part, then the newer's.
    expect(olderProduced + (summary.source?.produced ?? 0)).toBe(COUNT);
  });
});
