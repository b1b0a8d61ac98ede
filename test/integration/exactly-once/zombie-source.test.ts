import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import type { KafkaClient } from '../../../src/kafka/client.ts';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { TributaryError, silentLogger, systemClock } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { aroundCommits, tempDir, writePipeline } from '../runtime/support.ts';
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

  async function setUp(label: string): Promise<{ topic: string; copy: (client?: KafkaClient) => PipelineRunner }> {
    const name = uniqueName(label);
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
    const copy = (client: KafkaClient = createKafkaClient(spec.kafka ?? { brokers }, { logger: silentLogger, clientId: name })): PipelineRunner =>
      new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'source', exitWhenDone: true, progressIntervalMs: 60_000 });
    return { topic, copy };
  }

  /** Every id of the topic once, read_committed, and all of them there. */
  async function expectEachIdOnce(topic: string): Promise<void> {
    const ids = (await readTopic(createKafkaClient({ brokers }, { logger: silentLogger, clientId: `${topic}-check` }), topic)).map(
      (m) => (JSON.parse(m.value?.toString() ?? '') as { id: number }).id,
    );
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1).map(([id]) => id), 'ids the two copies both committed').toEqual([]);
    expect(counts.size).toBe(COUNT);
  }

  it('fences the older copy of a source task: it fails with KAFKA_FENCED, writes nothing after, and read_committed sees no duplicate', async () => {
    const { topic, copy } = await setUp('zombie');
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

    await expectEachIdOnce(topic);
    // Everything visible came from one committed sequence: the older copy's part, then the newer's.
    expect(olderProduced + (summary.source?.produced ?? 0)).toBe(COUNT);
  });

  it('stops an older copy whose transaction failed retriably after a newer copy took over, instead of re-fencing the newer one', async () => {
    const { topic, copy } = await setUp('zombie_retry');
    let newer: PipelineRunner | undefined;
    let newerRun: Promise<Awaited<ReturnType<PipelineRunner['run']>>> | undefined;
    let armed = false;
    let staged = false;
    const olderClient = aroundCommits(createKafkaClient({ brokers }, { logger: silentLogger, clientId: `${topic}-older` }), async (commit) => {
      if (!armed || staged) return commit();
      staged = true;
      // The newer copy starts (fencing this one, aborting this open transaction) and commits; this
      // copy then sees only a retriable failure, as when its connection drops before EndTxn.
      newer = copy();
      const started = newer;
      newerRun = started.run(new AbortController().signal);
      await waitFor('the newer copy to commit records', () => (started.summary().source?.produced ?? 0) > 0, 30_000);
      throw new TributaryError('KAFKA_UNAVAILABLE', 'committing transaction: the connection closed before EndTxn was sent', { retriable: true });
    });
    const older = copy(olderClient);
    const olderRun = older.run(new AbortController().signal).then(
      () => undefined,
      (err: unknown) => err,
    );
    await waitFor('the first copy to commit records', () => (older.summary().source?.produced ?? 0) > COUNT / 10, 30_000);
    armed = true;
    await waitFor('the older copy to meet the newer one', () => newerRun !== undefined, 30_000);

    const summary = await (newerRun as Promise<Awaited<ReturnType<PipelineRunner['run']>>>);
    expect(summary.source?.exhausted, 'the newer copy ran to the end: the older one did not fence it back').toBe(true);
    const stopped = await olderRun;
    expect(stopped, 'the older copy should have stopped').toBeInstanceOf(TributaryError);
    expect((stopped as TributaryError).code).toBe('KAFKA_FENCED');
    expect((older.summary().source?.produced ?? 0) + (summary.source?.produced ?? 0)).toBe(COUNT);
    await expectEachIdOnce(topic);
  });
});
