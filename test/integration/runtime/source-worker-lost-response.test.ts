import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { silentLogger, systemClock } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { API_KEY, startProxiedEmbeddedBroker, type FaultProxy } from '../../support/fault-proxy.ts';
import { readFileSinkOutput, recordingLogger, tempDir, writePipeline } from './support.ts';

const COUNT = 1_000;

/**
 * A source transaction whose response never reaches the client has an outcome the client cannot
 * know: EndTxn may have committed on the broker. The worker must find out (by reading its positions
 * back after fencing) instead of sending the delivery again: datagen -> embedded broker behind a
 * proxy that loses one response -> exactly-once file sink; every id exactly once.
 */
describe('source worker: a lost response in the middle of a transaction', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    cleanup = [];
  });

  async function run(apiKey: number, occurrence: number): Promise<{ proxy: FaultProxy; ids: number[]; messages: string[] }> {
    const dir = await tempDir('tributary-lost-response');
    cleanup.push(() => dir.cleanup());
    const { proxy, close } = await startProxiedEmbeddedBroker(`${dir.path}/broker`);
    cleanup.push(close);
    const name = uniqueName('lost');
    const out = `${dir.path}/out`;
    const file = await writePipeline(
      dir.path,
      name,
      `name: ${name}
kafka: { brokers: ['127.0.0.1:${proxy.port}'] }
source:
  connector: datagen
  config: { kind: orders, seed: 3, count: ${COUNT}, batchSize: 50, rate: 2000 }
topic: { name: ${name}.orders, partitions: 3 }
serializer: { format: json }
keySerializer: { format: string }
sinks:
  - { name: files, connector: file, delivery: exactly-once, config: { directory: ${out} } }
errors: { retry: { timeout: 1m } }
`,
    );
    const registry = createBuiltinRegistry();
    const { spec, errors } = await loadPipelineFile(file, { env: {}, registry });
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');
    const messages: string[] = [];
    const logger = recordingLogger(messages);
    const client = createKafkaClient(spec.kafka ?? { brokers: [] }, { logger: silentLogger, clientId: name });
    // Armed before the run: the occurrence counts from the source's first request of that kind.
    proxy.loseResponse(apiKey, occurrence);
    const runner = new PipelineRunner({ spec, registry, client, logger, clock: systemClock, role: 'all', exitWhenDone: true, progressIntervalMs: 60_000 });
    const summary = await runner.run(new AbortController().signal);
    expect(summary.source?.produced).toBe(COUNT);
    const ids = (await readFileSinkOutput(out)).map((line) => Number(line.value.id));
    return { proxy, ids, messages };
  }

  function expectEachIdOnce(ids: number[]): void {
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(counts.size).toBe(COUNT);
    expect(ids).toHaveLength(COUNT);
  }

  it('EndTxn committed on the broker, response lost: the delivery is not sent again', async () => {
    const { proxy, ids, messages } = await run(API_KEY.END_TXN, 4);
    expect(proxy.cuts, `requests by api key: ${JSON.stringify([...proxy.requests])}`).toBe(1);
    expect(messages).toContain('the failed transaction had committed; not sending it again');
    expectEachIdOnce(ids);
  }, 120_000);

  it('Produce appended on the broker, response lost: the transaction is aborted and sent once more', async () => {
    const { proxy, ids } = await run(API_KEY.PRODUCE, 6);
    expect(proxy.cuts, `requests by api key: ${JSON.stringify([...proxy.requests])}`).toBe(1);
    expectEachIdOnce(ids);
  }, 120_000);
});
