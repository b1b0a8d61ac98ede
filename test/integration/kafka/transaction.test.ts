import { afterAll, describe, expect, it } from 'vitest';
import type { Producer } from '../../../src/kafka/index.ts';
import { consumeCount, uniqueName, useTestKafka, waitFor } from './helpers.ts';

describe('transactions', () => {
  const kafka = useTestKafka();
  const { topic } = kafka;
  const producers: Producer[] = [];

  afterAll(async () => {
    for (const p of producers) await p.disconnect();
  });

  async function transactional(transactionalId: string): Promise<Producer> {
    const p = kafka.client.producer({ transactionalId });
    producers.push(p);
    await p.connect();
    return p;
  }

  const record = (topic: string, v: string) => ({ topic, key: Buffer.from(v), value: Buffer.from(v) });

  it('shows committed transactions to a read_committed consumer and hides aborted ones', async () => {
    const t = await topic('txn', 3);
    const producer = await transactional(uniqueName('txn-id'));

    const committed = await producer.transaction();
    await committed.send(['c1', 'c2', 'c3'].map((v) => record(t, v)));
    await committed.commit();

    const aborted = await producer.transaction();
    await aborted.send(['x1', 'x2'].map((v) => record(t, v)));
    await aborted.abort();

    const after = await producer.transaction();
    await after.send([record(t, 'c4')]);
    await after.commit();

    const readCommitted = await consumeCount(kafka.client, [t], 4, { readCommitted: true }, 1_000);
    expect(readCommitted.map((m) => m.value?.toString()).sort()).toEqual(['c1', 'c2', 'c3', 'c4']);

    // read_uncommitted sees the aborted records too: proves they were written and then hidden.
    const readUncommitted = await consumeCount(kafka.client, [t], 6, { readCommitted: false }, 1_000);
    expect(readUncommitted.map((m) => m.value?.toString()).sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'x1', 'x2']);
  });

  it("gives a batch's nextOffset past the commit marker, so a committed position does not stop on it", async () => {
    const t = await topic('txn-marker', 1);
    const producer = await transactional(uniqueName('txn-id'));
    const txn = await producer.transaction();
    await txn.send(['m0', 'm1'].map((v) => record(t, v)));
    await txn.commit();
    // Log: m0 at 0, m1 at 1, the commit marker at 2. The broker writes the marker after commit()
    // returns; until then the records are invisible to read_committed, so any batch holding them
    // was fetched with the marker in reach.

    const consumer = kafka.client.consumer({ groupId: uniqueName('group'), readCommitted: true });
    const nextOffsets: string[] = [];
    const offsets: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe([t]);
      await consumer.run({
        eachBatch: async (batch) => {
          offsets.push(...batch.messages.map((m) => m.offset));
          nextOffsets.push(batch.nextOffset);
        },
      });
      await waitFor('both records', () => offsets.length >= 2);
    } finally {
      await consumer.disconnect();
    }
    expect(offsets).toEqual(['0', '1']);
    expect(nextOffsets.at(-1)).toBe('3');
  });

  it('commits consumer offsets atomically with the records (sendOffsets)', async () => {
    const input = await topic('txn-in', 1);
    const output = await topic('txn-out', 1);
    const groupId = uniqueName('group');
    const producer = await transactional(uniqueName('txn-id'));

    const txn = await producer.transaction();
    await txn.send([record(output, 'copied')]);
    await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '42' }] }] });
    await txn.commit();
    // Kafka answers EndTxn once the commit is decided; the group sees the offsets when the
    // coordinator has written the markers, a moment later.
    let committed: Awaited<ReturnType<typeof kafka.admin.fetchCommittedOffsets>> = [];
    await waitFor('the transactional offsets to become visible', async () => {
      committed = await kafka.admin.fetchCommittedOffsets(groupId, [input]);
      return committed[0]?.offset !== null;
    });
    expect(committed).toEqual([{ topic: input, partition: 0, offset: '42' }]);

    const rolledBack = await producer.transaction();
    await rolledBack.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '99' }] }] });
    await rolledBack.abort();
    expect(await kafka.admin.fetchCommittedOffsets(groupId, [input])).toEqual([{ topic: input, partition: 0, offset: '42' }]);
  });

  it('fences an older producer with the same transactional id (KAFKA_FENCED)', async () => {
    const t = await topic('fence', 1);
    const id = uniqueName('txn-id');
    const zombie = await transactional(id);
    const open = await zombie.transaction();
    await open.send([record(t, 'zombie')]);

    const successor = await transactional(id);
    const err = await (async () => {
      await open.send([record(t, 'zombie-2')]);
      await open.commit();
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TributaryError', code: 'KAFKA_FENCED', retriable: false });

    const txn = await successor.transaction();
    await txn.send([record(t, 'successor')]);
    await txn.commit();
    const seen = await consumeCount(kafka.client, [t], 1, { readCommitted: true }, 1_000);
    expect(seen.map((m) => m.value?.toString())).toEqual(['successor']);
  });

  it('refuses send() outside a transaction on a transactional producer', async () => {
    const producer = await transactional(uniqueName('txn-id'));
    await expect(producer.send([record('whatever', 'v')])).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
