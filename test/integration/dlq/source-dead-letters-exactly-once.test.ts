import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { TributaryError, silentLogger, systemClock } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { readTopic } from '../exactly-once/support.ts';
import { aroundCommits, tempDir, writePipeline } from '../runtime/support.ts';
import { loadSpec } from './support.ts';

const COUNT = 200;
const EVERY = 10;
const PLUGIN = fileURLToPath(new URL('./fixtures/reject-ids.ts', import.meta.url));

/**
 * Exactly-once covers the dead-letter topic too: a source-side dead letter is written in the
 * transaction of the delivery whose record failed. The process dies between the dead letters and
 * that delivery's commit (here: the commit never happens and the run stops); a second run resumes
 * from the committed positions and fails the same records again. Each failed record must be in the
 * dead-letter topic once (a dead letter sent on its own, outside the transaction, stayed from the
 * first run and was written again by the second).
 */
describe('source-side dead letters under a crash before the commit', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let client: KafkaClient;
  beforeAll(async () => {
    dir = await tempDir('tributary-source-dlq-eos');
    client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'source-dlq-eos-test' });
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('writes each dead letter once, with the records of its delivery', { timeout: 120_000 }, async () => {
    const name = uniqueName('source-dlq-eos');
    const topic = `${name}.users`;
    const dlq = `${name}.dlq`;
    const file = await writePipeline(
      dir.path,
      name,
      `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
plugins: [${PLUGIN}]
source: { connector: datagen, config: { kind: users, seed: 4, count: ${COUNT}, batchSize: 25, rate: 400 } }
transforms:
  - { type: reject-ids, every: ${EVERY} }
topic: { name: ${topic}, partitions: 3 }
keySerializer: { format: string }
errors: { tolerance: all, deadLetterTopic: ${dlq} }
`,
    );
    const { spec, registry } = await loadSpec(file);

    // First run: the third commit "crashes" (never reaches the broker, and the run stops there).
    let commits = 0;
    const crashing = aroundCommits(createKafkaClient({ brokers }, { logger: silentLogger, clientId: `${name}-first` }), async (commit) => {
      if (++commits === 3) throw new TributaryError('INTERNAL', 'simulated crash between the dead letters and the commit', { retriable: false });
      return commit();
    });
    const first = new PipelineRunner({ spec, registry, client: crashing, logger: silentLogger, clock: systemClock, role: 'source', exitWhenDone: true, progressIntervalMs: 60_000 });
    await first.run(new AbortController().signal).catch(() => undefined);
    const firstDeadLettered = first.summary().source?.deadLettered ?? 0;
    expect(commits).toBe(3);

    // Second run: resumes from the committed positions, to the end.
    const second = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'source', exitWhenDone: true, progressIntervalMs: 60_000 });
    const summary = await second.run(new AbortController().signal);
    expect(summary.source?.exhausted).toBe(true);

    const letters = await readTopic(client, dlq);
    const keys = letters.map((m) => m.key?.toString() ?? '');
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    console.log(`[source-dlq] dead-lettered by the first run ${firstDeadLettered} (the uncommitted ones among them again by the second), dead letters in the topic ${letters.length}`);
    expect(firstDeadLettered, 'the first run dead-lettered records before it stopped').toBeGreaterThan(0);
    expect(twice, 'dead letters written twice').toEqual([]);
    expect(letters).toHaveLength(COUNT / EVERY);
    const users = await readTopic(client, topic);
    expect(users).toHaveLength(COUNT - COUNT / EVERY);
  });
});
