import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { uniqueName } from '../../harness/names.ts';
import { startCli, type CliProcess } from '../../support/cli-process.ts';
import { waitFor } from '../../support/wait-for.ts';
import { readFileSinkOutput, tempDir, writePipeline } from './support.ts';

const COUNT = Number(process.env.TRIBUTARY_REBALANCE_COUNT ?? 6000);

/** The tail of each process's output, for a timeout message. */
const outputs = (procs: CliProcess[]) => (): string => procs.map((p, i) => `--- process ${i}\n${p.tail(3000)}`).join('\n');

const assignments = (p: CliProcess): number => p.output.join('').split('partitions assigned').length - 1;

describe('sink workers in separate processes', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const procs: CliProcess[] = [];
  beforeAll(async () => {
    dir = await tempDir('tributary-rebalance');
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await dir.cleanup();
  });

  it('SIGTERM on one worker rebalances its partitions and the others finish the topic', async () => {
    const name = uniqueName('rebalance');
    const topic = `${name}.orders`;
    const out = `${dir.path}/out`;
    const file = await writePipeline(
      dir.path,
      name,
      `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: datagen
  config: { kind: orders, seed: 3, count: ${COUNT}, rate: ${Math.ceil(COUNT / 6)}, batchSize: 50 }
topic: { name: ${topic}, partitions: 6 }
keySerializer: { format: string }
sinks:
  - { name: files, connector: file, workers: 1, batchSize: 50, config: { directory: ${out} } }
`,
    );
    const sinks = [0, 1, 2].map(() => startCli(['run', file, '--role', 'sinks']));
    procs.push(...sinks);
    await waitFor('three sink processes to be assigned partitions', () => sinks.every((s) => assignments(s) > 0), 60_000, outputs(sinks));
    const source = startCli(['run', file, '--role', 'source']);
    procs.push(source);

    const victim = sinks[0] as CliProcess;
    const survivors = sinks.slice(1);
    await waitFor('records to reach the files', async () => (await readFileSinkOutput(out)).length > COUNT / 5, 60_000, outputs([...sinks, source]));
    const before = survivors.map(assignments);
    victim.child.kill('SIGTERM');
    expect((await victim.exited).code).toBe(0);
    // The survivors were handed the victim's partitions: a new assignment each.
    await waitFor('survivors to rebalance', () => survivors.every((s, i) => assignments(s) > (before[i] ?? 0)), 60_000, outputs(sinks));
    expect((await source.exited).code).toBe(0);

    const client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: name });
    const admin = client.admin();
    await admin.connect();
    try {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
      await waitFor(
        'the group to commit up to the end of the topic',
        async () => {
          const committed = await admin.fetchCommittedOffsets(`tributary-${name}-files`, [topic]);
          return committed.every((c) => c.offset !== null && BigInt(c.offset) >= (ends.get(c.partition) ?? 0n));
        },
        90_000,
        outputs(survivors),
      );
    } finally {
      await admin.disconnect();
    }
    for (const s of survivors) s.child.kill('SIGTERM');
    for (const s of survivors) expect((await s.exited).code).toBe(0);

    const ids = new Set((await readFileSinkOutput(out)).map((l) => Number(l.value.id)));
    expect(ids.size).toBe(COUNT);
  });
});
