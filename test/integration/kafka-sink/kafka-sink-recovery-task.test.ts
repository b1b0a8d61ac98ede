import { afterEach, describe, expect, it } from 'vitest';
import { KafkaSinkTask, type KafkaSinkConfig } from '../../../connectors/kafka/index.ts';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { silentLogger, systemClock, type SinkRecord } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { API_KEY, startProxiedEmbeddedBroker, type FaultProxy } from '../../support/fault-proxy.ts';
import { rejection } from '../../support/rejection.ts';
import { readTopic } from '../exactly-once/support.ts';
import { recordingLogger, tempDir } from '../runtime/support.ts';


/** Records `from`..`to` of `topic`[0], the value `{ n: offset }`. */
function records(topic: string, from: number, to: number): SinkRecord[] {
  const out: SinkRecord[] = [];
  for (let o = from; o <= to; o++) out.push({ topic, partition: 0, offset: String(o), key: String(o), value: { n: o }, timestamp: Date.now(), headers: [] });
  return out;
}

/**
 * The kafka sink task's recovery after a failed transaction, one call at a time: the embedded
 * broker behind a proxy that loses one TxnOffsetCommit response (the attempt then fails before
 * EndTxn, with the transaction open on the broker).
 */
describe('kafka sink task: recovering a failed transaction', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    cleanup = [];
  });

  async function setup(): Promise<{ proxy: FaultProxy; client: KafkaClient; brokers: string[]; input: string; output: string; group: string }> {
    const dir = await tempDir('tributary-kafka-sink-recovery');
    cleanup.push(() => dir.cleanup());
    const { proxy, close } = await startProxiedEmbeddedBroker(`${dir.path}/broker`);
    cleanup.push(close);
    const brokers = [`127.0.0.1:${proxy.port}`];
    const client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'kafka-sink-recovery-test' });
    const input = uniqueName('recovery-in');
    const admin = client.admin();
    await admin.connect();
    await admin.ensureTopics([{ topic: input, partitions: 1 }]);
    await admin.disconnect();
    return { proxy, client, brokers, input, output: uniqueName('recovery-out'), group: uniqueName('recovery-group') };
  }

  function task(brokers: string[], group: string, output: string, messages: string[] = []): KafkaSinkTask {
    const t = new KafkaSinkTask({
      config: { brokers, topic: output } as KafkaSinkConfig,
      pipeline: 'recovery',
      sinkName: 'mirror',
      group,
      workerId: 0,
      logger: recordingLogger(messages),
      clock: systemClock,
    });
    cleanup.push(() => t.stop());
    return t;
  }

  async function outputValues(client: KafkaClient, output: string): Promise<number[]> {
    return (await readTopic(client, output)).map((m) => (JSON.parse(m.value?.toString() ?? '') as { n: number }).n).sort((a, b) => a - b);
  }

  it('a repeated put after a failed attempt settles it and produces the batch once', async () => {
    const { proxy, client, brokers, input, output, group } = await setup();
    const tp = { topic: input, partition: 0 };
    const messages: string[] = [];
    const t = task(brokers, group, output, messages);
    await t.start();
    await t.open([tp]);
    await t.put(records(input, 0, 4), [{ ...tp, offset: '5' }]);

    proxy.loseResponse(API_KEY.TXN_OFFSET_COMMIT, 1);
    const err = await rejection(t.put(records(input, 5, 9), [{ ...tp, offset: '10' }]));
    expect(err.retriable, err.message).toBe(true);
    // What the runtime's retry does: the same call again.
    await t.put(records(input, 5, 9), [{ ...tp, offset: '10' }]);
    expect(messages).toContain('the failed transaction did not commit; producing the batch again');
    // A call for a position already committed (a retried put whose batch had committed) writes nothing.
    await t.put(records(input, 5, 9), [{ ...tp, offset: '10' }]);
    expect(messages).toContain('the batch is already committed; not producing it again');

    expect(await outputValues(client, output)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a member whose partition moved while its attempt was in doubt stops with KAFKA_FENCED, writes nothing more and leaves the new owner alone', async () => {
    const { proxy, client, brokers, input, output, group } = await setup();
    const tp = { topic: input, partition: 0 };
    const zombie = task(brokers, group, output);
    await zombie.start();
    await zombie.open([tp]);
    await zombie.put(records(input, 0, 4), [{ ...tp, offset: '5' }]);
    proxy.loseResponse(API_KEY.TXN_OFFSET_COMMIT, 1);
    await rejection(zombie.put(records(input, 5, 9), [{ ...tp, offset: '10' }]));

    // The partition moves on meanwhile: the new owner settles the open attempt and commits a batch.
    const owner = task(brokers, group, output);
    await owner.start();
    expect(await owner.open([tp])).toEqual([{ ...tp, offset: '5' }]);
    await owner.put(records(input, 5, 7), [{ ...tp, offset: '8' }]);

    // The zombie's retry reads back an offset it neither had nor was committing.
    const err = await rejection(zombie.put(records(input, 5, 9), [{ ...tp, offset: '10' }]));
    expect(err.code).toBe('KAFKA_FENCED');
    expect(err.message).toMatch(/another member has committed for this partition since/);
    expect(err.retriable).toBe(false);
    expect((await rejection(zombie.put(records(input, 5, 9), [{ ...tp, offset: '10' }]))).code).toBe('KAFKA_FENCED');
    // It found out before initializing the id again, so the owner was not fenced and goes on.
    await owner.put(records(input, 8, 9), [{ ...tp, offset: '10' }]);
    expect(await outputValues(client, output)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
