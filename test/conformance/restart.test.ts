/**
 * Committed offsets and transactional ids survive a broker restart, on the embedded broker and on a
 * private Apache Kafka (the shared one cannot be restarted), with every available client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../harness/names.ts';
import type { ClientSpec } from './suite.ts';
import { waitFor, type ConformanceClient } from './support/client.ts';
import { kafkajsClient } from './support/kafkajs-client.ts';
import { librdkafkaClientFactory, loadLibrdkafka } from './support/librdkafka-client.ts';
import { embedded, privateKafka, type BrokerTarget, type TargetSpec } from './support/targets.ts';

const clients: ClientSpec[] = [{ name: 'kafkajs', codecs: ['none', 'gzip'], create: kafkajsClient }];
const rd = await loadLibrdkafka();
if ('missing' in rd) process.stderr.write(`\n*** librdkafka restart cases SKIPPED: @confluentinc/kafka-javascript is not installed (${rd.missing}) ***\n\n`);
else clients.push({ name: `librdkafka ${rd.version}`, codecs: ['none'], create: librdkafkaClientFactory(rd.module, ['none']) });

function restartSuite(spec: TargetSpec): void {
  describe(`restarting the ${spec.name}`, () => {
    let target: BrokerTarget;

    beforeAll(async () => {
      target = await spec.start();
    });

    afterAll(async () => {
      await target?.stop();
    });

    for (const clientSpec of clients) {
      it(`keeps committed offsets and transactional ids (${clientSpec.name})`, async () => {
        const topic = uniqueName('restart');
        const group = uniqueName('restart-group');
        const txnId = uniqueName('restart-txn');
        let client: ConformanceClient = await clientSpec.create(target.brokers());
        let before: Map<number, bigint>;
        try {
          await client.createTopic(topic, 2);
          await client.produce(topic, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `old-${i}` })));
          await client.consume(topic, 10, { groupId: group });
          await waitFor('10 committed offsets', async () => [...(await client.committed(group, topic, 2)).values()].reduce((a, b) => a + b, 0n) === 10n, 30_000, 200);
          before = await client.committed(group, topic, 2);
          const p = await client.transactional(txnId);
          await p.begin();
          await p.send(topic, [{ key: 'k0', value: 'txn-before' }]);
          await p.commit();
          await p.close();
        } finally {
          await client.close();
        }

        await target.restart();

        client = await clientSpec.create(target.brokers());
        try {
          expect(await client.committed(group, topic, 2)).toEqual(before);
          const p = await client.transactional(txnId);
          await p.begin();
          await p.send(topic, [{ key: 'k0', value: 'txn-after' }]);
          await p.commit();
          await p.close();
          await client.produce(topic, [{ key: 'k1', value: 'new' }]);
          const resumed = await client.consume(topic, 3, { groupId: group });
          expect(resumed.map((m) => m.value).sort()).toEqual(['new', 'txn-after', 'txn-before']);
        } finally {
          await client.close();
        }
      });
    }
  });
}

restartSuite(embedded);
restartSuite(privateKafka);
