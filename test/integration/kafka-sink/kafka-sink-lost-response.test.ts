import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import type { PipelineSpec } from '../../../src/pipeline/types.ts';
import { PipelineRunner, type PipelineRole } from '../../../src/runtime/pipeline-runner.ts';
import { silentLogger, systemClock, type Logger } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { API_KEY, startProxiedEmbeddedBroker, type FaultProxy } from '../../support/fault-proxy.ts';
import { waitFor } from '../../support/wait-for.ts';
import { readTopic } from '../exactly-once/support.ts';
import { recordingLogger, tempDir, writePipeline } from '../runtime/support.ts';

const COUNT = 600;

/**
 * A kafka sink transaction whose response never reaches the client has an outcome the client
 * cannot know: EndTxn may have committed on the broker, a Produce may have been appended. The sink
 * must recover (new producer for the id, committed offset read back, batch sent again only if it
 * did not commit) rather than stop the pipeline. A lost TxnOffsetCommit response fails the attempt
 * before EndTxn, so that case takes the other branch (settled as aborted, produced again).
 *
 * datagen -> input topic, then a sinks-only run (so every request the proxy counts is the kafka
 * sink's) -> output topic read with read_committed; every id exactly once.
 */
describe('kafka sink: a lost response in the middle of a transaction', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    cleanup = [];
  });

  async function run(apiKey: number, occurrence: number): Promise<{ proxy: FaultProxy; ids: number[]; messages: string[] }> {
    const dir = await tempDir('tributary-kafka-sink-lost');
    cleanup.push(() => dir.cleanup());
    const { proxy, close } = await startProxiedEmbeddedBroker(`${dir.path}/broker`);
    cleanup.push(close);
    const name = uniqueName('sink-lost');
    const input = `${name}.orders`;
    const output = `${name}.out`;
    const brokers = `['127.0.0.1:${proxy.port}']`;
    const file = await writePipeline(
      dir.path,
      name,
      `name: ${name}
kafka: { brokers: ${brokers} }
source:
  connector: datagen
  config: { kind: orders, seed: 5, count: ${COUNT}, batchSize: 50, rate: 5000 }
topic: { name: ${input}, partitions: 3 }
serializer: { format: json }
keySerializer: { format: string }
sinks:
  - name: copy
    connector: kafka
    delivery: exactly-once
    batchSize: 40
    config: { brokers: ${brokers}, topic: ${output} }
errors: { retry: { timeout: 1m } }
`,
    );
    const registry = createBuiltinRegistry();
    const { spec, errors } = await loadPipelineFile(file, { env: {}, registry });
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');
    const client = createKafkaClient(spec.kafka ?? { brokers: [] }, { logger: silentLogger, clientId: name });
    const runner = (role: PipelineRole, logger: Logger, exitWhenDone: boolean): PipelineRunner =>
      new PipelineRunner({ spec, registry, client, logger, clock: systemClock, role, exitWhenDone, progressIntervalMs: 60_000 });

    // The input first, without faults: the source's own transactions must not use up the fault.
    const filled = await runner('source', silentLogger, true).run(new AbortController().signal);
    expect(filled.source?.produced).toBe(COUNT);

    proxy.loseResponse(apiKey, occurrence);
    const messages: string[] = [];
    const stop = new AbortController();
    let outcome: { error: unknown } | undefined;
    const sinks = runner('sinks', recordingLogger(messages), false)
      .run(stop.signal)
      .then(
        () => {
          outcome = { error: undefined };
        },
        (error: unknown) => {
          outcome = { error };
        },
      );
    try {
      await waitFor(
        'the kafka sink to commit every input record',
        async () => {
          // The pipeline stopping on its own is the failure under test: stop waiting at once.
          if (outcome !== undefined) return true;
          return proxy.cuts === 1 && (await caughtUp(client, spec, input));
        },
        90_000,
        () => `requests by api key: ${JSON.stringify([...proxy.requests])}, cuts: ${proxy.cuts}\n${messages.slice(-20).join('\n')}`,
      );
    } finally {
      stop.abort();
      await sinks;
    }
    expect(outcome?.error, 'the pipeline stopped on its own').toBeUndefined();
    expect(proxy.cuts, `requests by api key: ${JSON.stringify([...proxy.requests])}`).toBe(1);
    const ids = (await readTopic(client, output)).map((m) => (JSON.parse(m.value?.toString() ?? '') as { id: number }).id);
    return { proxy, ids, messages };
  }

  /** The sink group has committed up to the (last stable) end of every input partition. */
  async function caughtUp(client: KafkaClient, spec: PipelineSpec, input: string): Promise<boolean> {
    const group = spec.sinks[0]?.group ?? '';
    const admin = client.admin();
    await admin.connect();
    try {
      const ends = new Map((await admin.fetchTopicOffsets(input)).map((p) => [p.partition, BigInt(p.high)]));
      const committed = await admin.fetchCommittedOffsets(group, [input]);
      return committed.length === ends.size && committed.every((c) => c.offset !== null && BigInt(c.offset) >= (ends.get(c.partition) ?? 0n));
    } finally {
      await admin.disconnect();
    }
  }

  function expectEachIdOnce(ids: number[]): void {
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(counts.size).toBe(COUNT);
    expect(ids).toHaveLength(COUNT);
  }

  it('EndTxn committed on the broker, response lost: the sink goes on and does not produce the batch again', async () => {
    const { ids, messages } = await run(API_KEY.END_TXN, 3);
    expect(messages).toContain('the failed transaction had committed; not producing it again');
    expectEachIdOnce(ids);
  }, 150_000);

  // kafkajs sends the cut Produce again on a new connection with the same sequence number, and the
  // broker answers the duplicate with the first append: the sink itself never sees a failure here.
  // What this proves is that the resend does not duplicate the batch.
  it('Produce appended on the broker, response lost: the sink goes on and the output holds each record once', async () => {
    const { ids } = await run(API_KEY.PRODUCE, 4);
    expectEachIdOnce(ids);
  }, 150_000);

  it('TxnOffsetCommit applied on the broker, response lost: the transaction is settled as aborted and the batch produced again', async () => {
    const { ids, messages } = await run(API_KEY.TXN_OFFSET_COMMIT, 3);
    expect(messages).toContain('the failed transaction did not commit; producing the batch again');
    expectEachIdOnce(ids);
  }, 150_000);
});
