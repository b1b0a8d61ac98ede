/**
 * Idempotent producer retries, driven at the wire so the retry is exact: the same batch (same producer
 * id, epoch and sequence) sent twice, and a batch with a sequence gap. Same assertions on both brokers.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildRecordBatch } from '../../src/broker/log/record-batch.ts';
import { ApiKey } from '../../src/broker/protocol/api.ts';
import * as initProducerIdV1 from '../../src/broker/protocol/init-producer-id/init-producer-id-v1.ts';
import * as listOffsetsV2 from '../../src/broker/protocol/list-offsets/list-offsets-v2.ts';
import * as produceV7 from '../../src/broker/protocol/produce/produce-v7.ts';
import { uniqueName } from '../harness/names.ts';
import { WireClient } from '../broker/server/wire-client.ts';
import { embedded, sharedKafka, type BrokerTarget, type TargetSpec } from './support/targets.ts';

const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const RETRIABLE_INIT_ERRORS = [14, 15];

function batch(producerId: bigint, producerEpoch: number, baseSequence: number, values: string[]): Buffer {
  return buildRecordBatch(
    values.map((v) => ({ key: null, value: Buffer.from(v), timestamp: BigInt(Date.now()) })),
    { producerId, producerEpoch, baseSequence },
  );
}

function idempotenceSuite(spec: TargetSpec): void {
  describe(`idempotent produce retries on the ${spec.name}`, () => {
    let target: BrokerTarget;
    let wire: WireClient;
    let topic: string;

    beforeAll(async () => {
      target = await spec.start();
      const [host, port] = (target.brokers()[0] as string).split(':') as [string, string];
      topic = uniqueName('idempotence-wire');
      const admin = new Kafka({ brokers: target.brokers(), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      wire = await WireClient.connect(Number(port), host);
    });

    afterAll(async () => {
      wire?.close();
      await target?.stop();
    });

    const produce = async (records: Buffer): Promise<{ errorCode: number; baseOffset: bigint }> => {
      const res = await wire.send(ApiKey.Produce, 7, produceV7, { transactionalId: null, acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
      const p = res.responses[0]?.partitionResponses[0];
      if (!p) throw new Error('no partition in the produce response');
      return { errorCode: p.errorCode, baseOffset: p.baseOffset };
    };

    it('answers a resent batch with its original offset and writes it once; refuses a sequence gap', async () => {
      const initRequest = { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 };
      let init = await wire.send(ApiKey.InitProducerId, 1, initProducerIdV1, initRequest);
      // Kafka answers COORDINATOR_LOAD_IN_PROGRESS / NOT_AVAILABLE while its transaction log comes up.
      for (let attempt = 0; RETRIABLE_INIT_ERRORS.includes(init.errorCode) && attempt < 100; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        init = await wire.send(ApiKey.InitProducerId, 1, initProducerIdV1, initRequest);
      }
      expect(init.errorCode).toBe(0);
      const { producerId, producerEpoch } = init;

      const first = batch(producerId, producerEpoch, 0, ['a', 'b', 'c']);
      expect(await produce(first)).toEqual({ errorCode: 0, baseOffset: 0n });
      // The retry of a batch whose response was lost: same bytes, same sequence.
      expect(await produce(first)).toEqual({ errorCode: 0, baseOffset: 0n });
      expect(await produce(batch(producerId, producerEpoch, 3, ['d', 'e']))).toEqual({ errorCode: 0, baseOffset: 3n });
      // Sequence 10 skips 5..9.
      expect((await produce(batch(producerId, producerEpoch, 10, ['x']))).errorCode).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);

      const offsets = await wire.send(ApiKey.ListOffsets, 2, listOffsetsV2, { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] });
      expect(offsets.topics[0]?.partitions[0]?.offset).toBe(5n);
    });
  });
}

idempotenceSuite(embedded);
idempotenceSuite(sharedKafka(inject('kafkaBrokers')));
