import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient, partitionForKey, type KafkaClient } from '../../../src/kafka/index.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { DlqHeaders } from '../../../src/runtime/dead-letter.ts';
import { DlqReplayer, type ReplaySummary } from '../../../src/runtime/dlq-replay.ts';
import { silentLogger, systemClock } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';
import { readTopic } from '../exactly-once/support.ts';
import { loadSpec, runSinksUntilCaughtUp } from './support.ts';

const COUNT = 200;
const PLUGIN = fileURLToPath(new URL('./fixtures/reject-ids.ts', import.meta.url));

interface User {
  id: number;
  email: string;
  checked?: boolean;
}

describe('dlq replay of source-side failures', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let client: KafkaClient;
  beforeAll(async () => {
    dir = await tempDir('tributary-source-replay');
    client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'source-replay-test' });
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('sends transform failures back through the fixed transforms into the topic; what fails again is dead-lettered anew', { timeout: 180_000 }, async () => {
    const name = uniqueName('source-replay');
    const topic = `${name}.users`;
    const dlq = `${name}.dlq`;
    const out = join(dir.path, 'out');
    const pipeline = (every: number): string => `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
plugins: [${PLUGIN}]
source: { connector: datagen, config: { kind: users, seed: 3, count: ${COUNT}, batchSize: 25 } }
transforms:
  - { type: reject-ids, every: ${every} }
topic: { name: ${topic}, partitions: 3 }
keySerializer: { format: string }
sinks:
  - { name: files, connector: file, delivery: exactly-once, config: { directory: ${out}, format: value } }
errors: { tolerance: all, deadLetterTopic: ${dlq} }
`;
    // A transform bug fails every 10th user on the way in.
    const buggy = await writePipeline(dir.path, 'buggy', pipeline(10));
    {
      const { spec, registry } = await loadSpec(buggy);
      const runner = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'all', exitWhenDone: true, progressIntervalMs: 60_000 });
      const summary = await runner.run(new AbortController().signal);
      expect(summary.source?.deadLettered).toBe(COUNT / 10);
    }
    const letters = await readTopic(client, dlq);
    expect(letters).toHaveLength(COUNT / 10);
    for (const m of letters) {
      const names = m.headers.map((h) => h.key);
      expect(names).not.toContain(DlqHeaders.topic);
      const stage = m.headers.find((h) => h.key === DlqHeaders.stage)?.value?.toString();
      expect(stage).toBe('source.transform');
      expect(m.headers.find((h) => h.key === DlqHeaders.errorCode)?.value?.toString()).toBe('TRANSFORM_FAILED');
      const user = JSON.parse(m.value?.toString() ?? '') as User;
      expect(m.headers.find((h) => h.key === DlqHeaders.errorMessage)?.value?.toString()).toContain(`reject-ids: id ${user.id} is a multiple of 10`);
      expect(user.checked).toBeUndefined();
      expect(m.key?.toString()).toBe(String(user.id));
    }

    const replay = async (every: number, limit?: number): Promise<ReplaySummary> => {
      const { spec, registry } = await loadSpec(await writePipeline(dir.path, `fix-${every}`, pipeline(every)));
      return new DlqReplayer({ spec, registry, client, logger: silentLogger, clock: systemClock, fromBeginning: false, dryRun: false, ...(limit !== undefined ? { limit } : {}) }).run();
    };
    // A first fix that is only half right: multiples of 20 still fail. Replayed in two goes; the
    // second also sees what failed again in the first (dead-lettered anew, after it).
    const partial = await replay(20, 5);
    expect(partial.read).toBe(5);
    const rest = await replay(20);
    expect(rest.read).toBe(15 + partial.failedAgain);
    expect(partial.throughSource + rest.throughSource).toBe(10);
    expect(rest.failedAgain).toBe(10);
    expect(rest.byTopic).toEqual({ [topic]: rest.throughSource });

    // The real fix replays only the dead letters that failed again.
    const final = await replay(0);
    expect(final).toMatchObject({ read: 10, throughSource: 10, failedAgain: 0, toOriginalTopics: 0, dropped: 0, skipped: 0 });
    expect(await replay(0)).toMatchObject({ available: 0, read: 0 });

    // In the topic: the replayed users went through the fixed transform, keyed and partitioned as usual.
    const inTopic = await readTopic(client, topic);
    expect(inTopic).toHaveLength(COUNT);
    for (const m of inTopic) {
      const user = JSON.parse(m.value?.toString() ?? '') as User;
      expect(user.checked).toBe(true);
      expect(user.email).toEqual(expect.any(String));
      expect(m.key?.toString()).toBe(String(user.id));
      expect(m.partition).toBe(partitionForKey(Buffer.from(String(user.id)), 3));
    }

    // And in the files, once each.
    await runSinksUntilCaughtUp(await writePipeline(dir.path, 'fixed', pipeline(0)), client);
    const ids: number[] = [];
    for (const f of await readdir(out)) {
      if (!f.endsWith('.jsonl')) continue;
      for (const line of (await readFile(join(out, f), 'utf8')).split('\n')) if (line !== '') ids.push((JSON.parse(line) as User).id);
    }
    expect(ids.length).toBe(COUNT);
    expect(new Set(ids).size).toBe(COUNT);
  });
});
