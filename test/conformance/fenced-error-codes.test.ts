/**
 * Which code a fenced producer is told, per request version. PRODUCER_FENCED (90) exists only from
 * InitProducerId v4, AddPartitionsToTxn v2, AddOffsetsToTxn v2 and EndTxn v2 on (KIP-588); older
 * versions get INVALID_PRODUCER_EPOCH (47), and Produce gets 47 at every version. kafkajs 2.2.4 speaks
 * the old versions and reports 90 as "Unknown error code", which the framework could not recognise
 * as fencing. Same assertions on the embedded broker and on Apache Kafka.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildRecordBatch } from '../../src/broker/log/record-batch.ts';
import * as addOffsetsToTxnV0 from '../../src/broker/protocol/add-offsets-to-txn/add-offsets-to-txn-v0.ts';
import * as addOffsetsToTxnV1 from '../../src/broker/protocol/add-offsets-to-txn/add-offsets-to-txn-v1.ts';
import * as addOffsetsToTxnV2 from '../../src/broker/protocol/add-offsets-to-txn/add-offsets-to-txn-v2.ts';
import * as addPartitionsToTxnV0 from '../../src/broker/protocol/add-partitions-to-txn/add-partitions-to-txn-v0.ts';
import * as addPartitionsToTxnV1 from '../../src/broker/protocol/add-partitions-to-txn/add-partitions-to-txn-v1.ts';
import * as addPartitionsToTxnV2 from '../../src/broker/protocol/add-partitions-to-txn/add-partitions-to-txn-v2.ts';
import { ApiKey } from '../../src/broker/protocol/api.ts';
import * as endTxnV0 from '../../src/broker/protocol/end-txn/end-txn-v0.ts';
import * as endTxnV1 from '../../src/broker/protocol/end-txn/end-txn-v1.ts';
import * as endTxnV2 from '../../src/broker/protocol/end-txn/end-txn-v2.ts';
import * as initProducerIdV1 from '../../src/broker/protocol/init-producer-id/init-producer-id-v1.ts';
import * as initProducerIdV3 from '../../src/broker/protocol/init-producer-id/init-producer-id-v3.ts';
import * as initProducerIdV4 from '../../src/broker/protocol/init-producer-id/init-producer-id-v4.ts';
import type { InitProducerIdResponse } from '../../src/broker/protocol/init-producer-id/types.ts';
import * as produceV3 from '../../src/broker/protocol/produce/produce-v3.ts';
import * as produceV8 from '../../src/broker/protocol/produce/produce-v8.ts';
import type { ProduceRequest } from '../../src/broker/protocol/produce/types.ts';
import { kafkaError } from '../../src/kafka/errors.ts';
import { uniqueName } from '../harness/names.ts';
import { WireClient } from '../broker/server/wire-client.ts';
import { embedded, sharedKafka, type BrokerTarget, type TargetSpec } from './support/targets.ts';

const INVALID_PRODUCER_EPOCH = 47;
const PRODUCER_FENCED = 90;
const INVALID_TXN_STATE = 48;
/** COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, CONCURRENT_TRANSACTIONS: Kafka's "try again". */
const RETRY_INIT = [14, 15, 51];

async function retryInit<T extends { errorCode: number }>(send: () => Promise<T>): Promise<T> {
  let res = await send();
  for (let attempt = 0; RETRY_INIT.includes(res.errorCode) && attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    res = await send();
  }
  return res;
}

function transactionalBatch(producer: { producerId: bigint; producerEpoch: number }): Buffer {
  const record = { key: null, value: Buffer.from('zombie'), timestamp: BigInt(Date.now()) };
  return buildRecordBatch([record], { ...producer, baseSequence: 0, transactional: true });
}

/** What the promise rejected with; fails the test if it resolved. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.fail('expected the fenced producer to be refused'),
    (err: unknown) => err,
  );
}

function fencingSuite(spec: TargetSpec): void {
  describe(`fenced producers on the ${spec.name}`, () => {
    let target: BrokerTarget;
    let kafka: Kafka;
    const producers: Producer[] = [];

    beforeAll(async () => {
      target = await spec.start();
      kafka = new Kafka({ brokers: target.brokers(), clientId: 'fenced-error-codes', logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
    });

    afterAll(async () => {
      for (const p of producers) await p.disconnect().catch(() => {});
      await target?.stop();
    });

    async function createTopic(partitions: number): Promise<string> {
      const topic = uniqueName('fenced');
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
      return topic;
    }

    async function transactional(transactionalId: string): Promise<Producer> {
      const p = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, retry: { retries: 2 } });
      await p.connect();
      producers.push(p);
      return p;
    }

    /** A producer with an open transaction holding a record on partition 0, then a successor that fences it. */
    async function zombieAndSuccessor(topic: string): Promise<{ zombie: Awaited<ReturnType<Producer['transaction']>>; successor: Producer }> {
      const id = uniqueName('fenced-id');
      const zombie = await (await transactional(id)).transaction();
      await zombie.send({ topic, messages: [{ value: 'zombie', partition: 0 }] });
      const successor = await transactional(id);
      // kafkajs sends InitProducerId when the first transaction begins.
      await (await successor.transaction()).abort();
      return { zombie, successor };
    }

    /** The framework's view: a fencing error, and kafkajs itself knew the code (47, not "unknown"). */
    function expectRecognisedFencing(err: unknown): void {
      const mapped = kafkaError(err, 'zombie');
      expect(mapped.details).toMatchObject({ kafkaErrorType: 'INVALID_PRODUCER_EPOCH' });
      expect(mapped.code).toBe('KAFKA_FENCED');
    }

    it('kafkajs: a zombie committing (EndTxn v1) gets INVALID_PRODUCER_EPOCH', async () => {
      const { zombie } = await zombieAndSuccessor(await createTopic(1));
      expectRecognisedFencing(await rejection(zombie.commit()));
    });

    it('kafkajs: a zombie adding a partition (AddPartitionsToTxn v1) gets INVALID_PRODUCER_EPOCH', async () => {
      const topic = await createTopic(2);
      const { zombie } = await zombieAndSuccessor(topic);
      expectRecognisedFencing(await rejection(zombie.send({ topic, messages: [{ value: 'zombie', partition: 1 }] })));
    });

    it('kafkajs: a zombie adding offsets (AddOffsetsToTxn v1) gets INVALID_PRODUCER_EPOCH', async () => {
      const topic = await createTopic(1);
      const { zombie } = await zombieAndSuccessor(topic);
      const offsets = { consumerGroupId: uniqueName('fenced-group'), topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }] };
      expectRecognisedFencing(await rejection(zombie.sendOffsets(offsets)));
    });

    it('kafkajs: a zombie producing to a partition of its aborted transaction gets INVALID_PRODUCER_EPOCH', async () => {
      const topic = await createTopic(1);
      const { zombie } = await zombieAndSuccessor(topic);
      expectRecognisedFencing(await rejection(zombie.send({ topic, messages: [{ value: 'zombie again', partition: 0 }] })));
    });

    it('answers PRODUCER_FENCED only to versions that define it, at the wire', async () => {
      const topic = await createTopic(2);
      const transactionalId = uniqueName('fenced-wire');
      const [host, port] = (target.brokers()[0] as string).split(':') as [string, string];
      const wire = await WireClient.connect(Number(port), host);
      try {
        const init = (): Promise<InitProducerIdResponse> =>
          wire.send(ApiKey.InitProducerId, 1, initProducerIdV1, { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
        const first = await retryInit(init);
        expect(first.errorCode).toBe(0);
        const stale = { transactionalId, producerId: first.producerId, producerEpoch: first.producerEpoch };
        const added = await wire.send(ApiKey.AddPartitionsToTxn, 1, addPartitionsToTxnV1, { ...stale, topics: [{ name: topic, partitions: [0] }] });
        expect(added.resultsByTopic[0]?.resultsByPartition[0]?.partitionErrorCode).toBe(0);
        const produceRequest = (producer: { producerId: bigint; producerEpoch: number }, partition: number): ProduceRequest => ({
          transactionalId,
          acks: -1,
          timeoutMs: 10_000,
          topicData: [{ name: topic, partitionData: [{ index: partition, records: transactionalBatch(producer) }] }],
        });
        const produced = await wire.send(ApiKey.Produce, 3, produceV3, produceRequest(stale, 0));
        expect(produced.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);

        // The successor: a second InitProducerId aborts the open transaction and bumps the epoch.
        const second = await retryInit(init);
        expect(second.errorCode).toBe(0);
        expect(second.producerEpoch).toBeGreaterThan(stale.producerEpoch);

        const addStale = { ...stale, topics: [{ name: topic, partitions: [0] }] };
        const codes = {
          initProducerIdV3: (await wire.send(ApiKey.InitProducerId, 3, initProducerIdV3, { ...stale, transactionTimeoutMs: 60_000 }, { flexible: true })).errorCode,
          initProducerIdV4: (await wire.send(ApiKey.InitProducerId, 4, initProducerIdV4, { ...stale, transactionTimeoutMs: 60_000 }, { flexible: true })).errorCode,
          addPartitionsToTxnV0: (await wire.send(ApiKey.AddPartitionsToTxn, 0, addPartitionsToTxnV0, addStale)).resultsByTopic[0]?.resultsByPartition[0]?.partitionErrorCode,
          addPartitionsToTxnV1: (await wire.send(ApiKey.AddPartitionsToTxn, 1, addPartitionsToTxnV1, addStale)).resultsByTopic[0]?.resultsByPartition[0]?.partitionErrorCode,
          addPartitionsToTxnV2: (await wire.send(ApiKey.AddPartitionsToTxn, 2, addPartitionsToTxnV2, addStale)).resultsByTopic[0]?.resultsByPartition[0]?.partitionErrorCode,
          addOffsetsToTxnV0: (await wire.send(ApiKey.AddOffsetsToTxn, 0, addOffsetsToTxnV0, { ...stale, groupId: 'g' })).errorCode,
          addOffsetsToTxnV1: (await wire.send(ApiKey.AddOffsetsToTxn, 1, addOffsetsToTxnV1, { ...stale, groupId: 'g' })).errorCode,
          addOffsetsToTxnV2: (await wire.send(ApiKey.AddOffsetsToTxn, 2, addOffsetsToTxnV2, { ...stale, groupId: 'g' })).errorCode,
          endTxnV0: (await wire.send(ApiKey.EndTxn, 0, endTxnV0, { ...stale, committed: true })).errorCode,
          endTxnV1: (await wire.send(ApiKey.EndTxn, 1, endTxnV1, { ...stale, committed: true })).errorCode,
          endTxnV2: (await wire.send(ApiKey.EndTxn, 2, endTxnV2, { ...stale, committed: true })).errorCode,
          produceV3: (await wire.send(ApiKey.Produce, 3, produceV3, produceRequest(stale, 0))).responses[0]?.partitionResponses[0]?.errorCode,
          produceV8: (await wire.send(ApiKey.Produce, 8, produceV8, produceRequest(stale, 0))).responses[0]?.partitionResponses[0]?.errorCode,
          // A partition the zombie never added: the log there has not seen the new epoch, the coordinator has.
          produceV3NotAdded: (await wire.send(ApiKey.Produce, 3, produceV3, produceRequest(stale, 1))).responses[0]?.partitionResponses[0]?.errorCode,
        };
        expect(codes).toEqual({
          initProducerIdV3: INVALID_PRODUCER_EPOCH,
          initProducerIdV4: PRODUCER_FENCED,
          addPartitionsToTxnV0: INVALID_PRODUCER_EPOCH,
          addPartitionsToTxnV1: INVALID_PRODUCER_EPOCH,
          addPartitionsToTxnV2: PRODUCER_FENCED,
          addOffsetsToTxnV0: INVALID_PRODUCER_EPOCH,
          addOffsetsToTxnV1: INVALID_PRODUCER_EPOCH,
          addOffsetsToTxnV2: PRODUCER_FENCED,
          endTxnV0: INVALID_PRODUCER_EPOCH,
          endTxnV1: INVALID_PRODUCER_EPOCH,
          endTxnV2: PRODUCER_FENCED,
          produceV3: INVALID_PRODUCER_EPOCH,
          produceV8: INVALID_PRODUCER_EPOCH,
          produceV3NotAdded: INVALID_PRODUCER_EPOCH,
        });
        // The live producer, too, may write only to partitions it added to its transaction.
        const current = { producerId: second.producerId, producerEpoch: second.producerEpoch };
        const notAdded = await wire.send(ApiKey.Produce, 3, produceV3, produceRequest(current, 1));
        expect(notAdded.responses[0]?.partitionResponses[0]?.errorCode).toBe(INVALID_TXN_STATE);
        const add = await wire.send(ApiKey.AddPartitionsToTxn, 1, addPartitionsToTxnV1, { transactionalId, ...current, topics: [{ name: topic, partitions: [1] }] });
        expect(add.resultsByTopic[0]?.resultsByPartition[0]?.partitionErrorCode).toBe(0);
        const added1 = await wire.send(ApiKey.Produce, 3, produceV3, produceRequest(current, 1));
        expect(added1.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
        expect((await wire.send(ApiKey.EndTxn, 1, endTxnV1, { transactionalId, ...current, committed: false })).errorCode).toBe(0);
      } finally {
        wire.close();
      }
    });
  });
}

fencingSuite(embedded);
fencingSuite(sharedKafka(inject('kafkaBrokers')));
