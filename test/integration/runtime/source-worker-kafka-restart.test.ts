import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { silentLogger, systemClock, TributaryError } from '../../../src/sdk/index.ts';
import { startKafka, type KafkaHarness } from '../../harness/kafka.ts';
import { uniqueName } from '../../harness/names.ts';
import { aroundCommits, recordingLogger, tempDir, writePipeline } from './support.ts';

const COUNT = 2_000;
/** Broker kills, each a few milliseconds after a commit was sent (more are added until Kafka skips a marker at least once). */
const ROUNDS = Number(process.env.TRIBUTARY_KAFKA_RESTART_ROUNDS ?? 3);
const MAX_ROUNDS = Number(process.env.TRIBUTARY_KAFKA_RESTART_MAX_ROUNDS ?? 8);
/** What Apache Kafka logs when it completes a transaction without writing some of its markers. */
const MARKER_SKIP = "Couldn't find leader endpoint for partitions";

/**
 * The broker is SIGKILLed a few milliseconds after the source sent EndTxn, so the commit's outcome
 * is unknown to the source, and restarted. A restarted single-node Apache Kafka then often
 * completes the transaction without writing its markers (its partitions have no leader yet, which
 * it takes for deleted topics): the records stay open until the producer's next marker decides
 * them. The source must still publish every record exactly once, as an independent reader
 * (librdkafka through kcat, read_committed) sees the topic.
 */
describe('source worker on Apache Kafka: broker SIGKILL while a transaction commits', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    cleanup = [];
  });

  it('publishes each record once, even when the restarted broker skips transaction markers', async () => {
    const kafka: KafkaHarness = await startKafka({ kinds: ['testcontainers', 'jars'] });
    cleanup.push(() => kafka.stop());
    const dir = await tempDir('tributary-kafka-restart');
    cleanup.push(() => dir.cleanup());
    const name = uniqueName('kill_commit');
    const topic = `${name}.orders`;
    const file = await writePipeline(
      dir.path,
      name,
      `name: ${name}
kafka: { brokers: ['${kafka.brokers.join("','")}'] }
source:
  connector: datagen
  config: { kind: orders, seed: 5, count: ${COUNT}, batchSize: 10, rate: 100 }
topic: { name: ${topic}, partitions: 6 }
serializer: { format: json }
keySerializer: { format: string }
errors: { retry: { timeout: 3m } }
`,
    );
    const registry = createBuiltinRegistry();
    const { spec, errors } = await loadPipelineFile(file, { env: {}, registry });
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');

    const markerSkips = async (): Promise<number> => (kafka.logFile === undefined ? 0 : (await readFile(kafka.logFile, 'utf8')).split(MARKER_SKIP).length - 1);
    let commits = 0;
    let kills = 0;
    let restarting: Promise<void> = Promise.resolve();
    const delaysMs = [1, 3, 0, 2];
    const outcomes: string[] = [];
    const client = aroundCommits(createKafkaClient(spec.kafka ?? { brokers: [] }, { logger: silentLogger, clientId: name }), async (commit) => {
      commits++;
      const due = commits % 6 === 3 && (kills < ROUNDS || (kills < MAX_ROUNDS && (await markerSkips()) === 0));
      if (!due) return commit();
      await restarting;
      const round = kills++;
      if (round % 2 === 0) {
        // The response is lost: the broker answered EndTxn (the commit is decided), and dies at once,
        // typically before it has written the transaction's markers.
        await commit();
        const killed = kafka.kill?.() ?? Promise.resolve();
        restarting = killed.then(() => kafka.restart?.());
        await killed;
        outcomes.push('decided, answer lost');
        throw new TributaryError('KAFKA_UNAVAILABLE', 'committing transaction: the connection closed before the answer arrived', { retriable: true });
      }
      // The broker dies while EndTxn is on its way: decided or not, the source cannot tell.
      const outcome = commit().then(
        () => undefined,
        (err: unknown) => err,
      );
      await new Promise((resolve) => setTimeout(resolve, delaysMs[round % delaysMs.length]));
      const killed = kafka.kill?.() ?? Promise.resolve();
      restarting = killed.then(() => kafka.restart?.());
      const err = await outcome;
      outcomes.push(err === undefined ? 'committed' : 'failed');
      if (err !== undefined) throw err;
    });

    const messages: string[] = [];
    const runner = new PipelineRunner({ spec, registry, client, logger: recordingLogger(messages), clock: systemClock, role: 'all', exitWhenDone: true, progressIntervalMs: 60_000 });
    const summary = await runner.run(new AbortController().signal);
    await restarting;
    expect(summary.source?.produced).toBe(COUNT);

    // librdkafka's read_committed view, independent of the kafkajs client the runtime uses.
    const { stdout } = await promisify(execFile)('kcat', ['-C', '-b', kafka.brokers.join(','), '-t', topic, '-X', 'isolation.level=read_committed', '-e', '-q', '-f', '%s\n'], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    const counts = new Map<number, number>();
    for (const line of stdout.split('\n')) {
      if (line === '') continue;
      const id = Number((JSON.parse(line) as { id: number | string }).id);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const skips = await markerSkips();
    const leftOpen = messages.filter((m) => m.startsWith('Kafka completed the failed transaction without writing its markers')).length;
    const committedAfterAll = messages.filter((m) => m === 'the failed transaction had committed; not sending it again').length;
    console.log(
      `[kafka-restart] commits ${commits}, broker kills ${kills} (commit seen by the source as: ${outcomes.join(', ')}), transactions Kafka completed without some markers ${skips}, ` +
        `failed transactions Kafka left open (not resent) ${leftOpen}, found committed ${committedAfterAll}, ids ${counts.size}`,
    );
    expect(kills).toBeGreaterThanOrEqual(ROUNDS);
    expect([...counts].filter(([, n]) => n > 1).slice(0, 10)).toEqual([]);
    expect(counts.size).toBe(COUNT);
  }, 600_000);
});
