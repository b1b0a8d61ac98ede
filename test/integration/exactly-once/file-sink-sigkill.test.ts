import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { silentLogger } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';
import { crashLoop, envCount, readTopic, startCli } from './support.ts';

const KILLS = envCount('TRIBUTARY_FILE_KILLS', 5);
/** Records per second from the source while the kills go on. */
const RATE = envCount('TRIBUTARY_FILE_SIGKILL_RATE', 400);
/** Records the last run adds after the kills, so the run ends by itself. */
const TAIL = 500;

interface Line {
  topic: string;
  partition: number;
  offset: string;
  value: { id: number };
}

/**
 * Every line of the data files under `dir`. While the pipeline runs, the last line of a file may be
 * a write in progress (`partial: 'skip'`); once it has stopped, every line must be whole.
 */
async function lines(dir: string, partial: 'skip' | 'fail'): Promise<Line[]> {
  const out: Line[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.jsonl')) continue;
    const text = await readFile(join(dir, name), 'utf8');
    if (partial === 'fail' && text !== '' && !text.endsWith('\n')) throw new Error(`${name} ends with a partial line`);
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        out.push(JSON.parse(line) as Line);
      } catch (err) {
        if (partial === 'fail') throw err;
      }
    }
  }
  return out;
}

describe('file sink, exactly once under SIGKILL', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('tributary-file-sigkill');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  // Each restart after a SIGKILL waits about 30 s for the dead member's session to time out.
  it(`holds every record exactly once after ${KILLS} SIGKILLs of the pipeline process mid-stream`, { timeout: 45_000 * (KILLS + 2) }, async () => {
    const name = uniqueName('file-sigkill');
    const topic = `${name}.users`;
    const out = join(dir.path, 'out');
    const pipeline = (count: string, rate: string): string => `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: datagen
  config: { kind: users, seed: 9, count: ${count}, rate: ${rate}, batchSize: 50 }
topic: { name: ${topic}, partitions: 3 }
keySerializer: { format: string }
sinks:
  - { name: files, connector: file, workers: 2, batchSize: 25, delivery: exactly-once, sessionTimeout: 6s, config: { directory: ${out} } }
`;
    // While the kills go on the source never runs out, so every restart has records to write.
    const endless = await writePipeline(dir.path, 'endless', pipeline('null', String(RATE)));
    const kills = await crashLoop({
      kills: KILLS,
      start: () => startCli(['run', endless]),
      progress: async () => (await lines(out, 'skip')).length,
      maxDelayMs: 700,
      progressTimeoutMs: 90_000,
    });

    // The same pipeline (same name, so the same offsets and groups), now ending: it resumes after
    // the last committed record, adds TAIL more, waits for the sink and exits.
    const client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: name });
    const total = (await readTopic(client, topic)).length + TAIL;
    const finite = await writePipeline(dir.path, 'finite', pipeline(String(total), 'null'));
    const last = startCli(['run', finite]);
    const { code } = await last.exited;
    const context = `${kills.join('\n')}\n--- last run\n${last.tail()}`;
    expect(code, context).toBe(0);

    const written = await lines(out, 'fail');
    const counts = new Map<number, number>();
    for (const l of written) counts.set(l.value.id, (counts.get(l.value.id) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    expect(repeated, `ids written more than once\n${context}`).toEqual([]);
    expect(counts.size, context).toBe(total);
    expect(Math.min(...counts.keys())).toBe(1);
    expect(Math.max(...counts.keys())).toBe(total);
    expect(new Set(written.map((l) => `${l.partition}:${l.offset}`)).size).toBe(total);

    // The source was SIGKILLed mid-transaction too: the topic itself holds each record once.
    const inTopic = (await readTopic(client, topic)).map((m) => (JSON.parse(m.value?.toString() ?? '') as { id: number }).id);
    expect(inTopic.length).toBe(total);
    expect(new Set(inTopic).size).toBe(total);
  });
});
