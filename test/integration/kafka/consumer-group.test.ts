import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer, ConsumerBatch, PartitionOffset, Producer, TopicPartition } from '../../../src/kafka/index.ts';
import { key, uniqueName, useTestKafka, waitFor } from './helpers.ts';

/** What one consumer saw, in order: rebalance callbacks and batches, for asserting their interleaving. */
type Event = { kind: 'assigned' | 'assigned-done' | 'revoked'; partitions: string[] } | { kind: 'batch'; partition: string; offsets: string[]; values: string[] };

interface Member {
  consumer: Consumer;
  events: Event[];
  values: () => string[];
  crash: () => Error | undefined;
}

describe('consumer groups', () => {
  const kafka = useTestKafka();
  const { topic } = kafka;
  let producer: Producer;
  const members: Consumer[] = [];

  beforeAll(async () => {
    producer = kafka.client.producer();
    await producer.connect();
  });

  afterAll(async () => {
    for (const m of members) await m.disconnect();
    await producer.disconnect();
  });

  async function produce(t: string, values: string[], partition?: number): Promise<void> {
    await producer.send(values.map((v) => ({ topic: t, key: null, value: Buffer.from(v), ...(partition === undefined ? {} : { partition }) })));
  }

  /**
   * Starts a group member. `commit`: commit each batch's nextOffset after recording it.
   * `onAssigned`: what onPartitionsAssigned returns (seek positions), after an optional delay.
   */
  async function member(
    groupId: string,
    subscribe: string[],
    opts: { commit?: boolean; onAssigned?: (partitions: TopicPartition[]) => PartitionOffset[]; assignDelayMs?: number } = {},
  ): Promise<Member> {
    const consumer = kafka.client.consumer({ groupId, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 10_000 });
    members.push(consumer);
    const events: Event[] = [];
    let crash: Error | undefined;
    await consumer.connect();
    await consumer.subscribe(subscribe);
    await consumer.run({
      eachBatch: async (batch: ConsumerBatch) => {
        events.push({ kind: 'batch', partition: key(batch), offsets: batch.messages.map((m) => m.offset), values: batch.messages.map((m) => m.value?.toString() ?? '') });
        if (opts.commit === true) await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: batch.nextOffset }]);
      },
      onPartitionsAssigned: async (partitions) => {
        events.push({ kind: 'assigned', partitions: partitions.map(key) });
        if (opts.assignDelayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, opts.assignDelayMs));
        events.push({ kind: 'assigned-done', partitions: partitions.map(key) });
        return opts.onAssigned?.(partitions);
      },
      onPartitionsRevoked: async (partitions) => {
        events.push({ kind: 'revoked', partitions: partitions.map(key) });
      },
      onCrash: (err) => {
        crash = err;
      },
    });
    const values = (): string[] => events.flatMap((e) => (e.kind === 'batch' ? e.values : []));
    return { consumer, events, values, crash: () => crash };
  }

  it('resumes from committed offsets after a restart, and reports them to Admin', async () => {
    const t = await topic('resume', 2);
    const groupId = uniqueName('group');
    await produce(t, ['a0', 'a1', 'a2'], 0);
    await produce(t, ['b0', 'b1'], 1);

    const first = await member(groupId, [t], { commit: true });
    await waitFor('5 records', () => first.values().length >= 5);
    await first.consumer.disconnect();
    expect(first.values().sort()).toEqual(['a0', 'a1', 'a2', 'b0', 'b1']);
    expect(await kafka.admin.fetchCommittedOffsets(groupId, [t])).toEqual([
      { topic: t, partition: 0, offset: '3' },
      { topic: t, partition: 1, offset: '2' },
    ]);

    await produce(t, ['a3'], 0);
    await produce(t, ['b2'], 1);
    const second = await member(groupId, [t], { commit: true });
    await waitFor('2 new records', () => second.values().length >= 2);
    // Nothing before the commit is read again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(second.values().sort()).toEqual(['a3', 'b2']);
    expect(second.crash()).toBeUndefined();
  });

  it('seeks to positions returned by onPartitionsAssigned (offsets kept outside Kafka), before any record is delivered', async () => {
    const t = await topic('seek', 2);
    const groupId = uniqueName('group');
    await produce(t, ['p0-0', 'p0-1', 'p0-2', 'p0-3'], 0);
    await produce(t, ['p1-0', 'p1-1', 'p1-2'], 1);
    // As a DB sink would: its own table says partition 0 is done up to offset 2, partition 1 up to 1.
    // The group's Kafka commits (none) are ignored for those partitions. A slow lookup must not let
    // records from the committed/default position slip through before it answers.
    const m = await member(groupId, [t], {
      assignDelayMs: 1_500,
      onAssigned: () => [
        { topic: t, partition: 0, offset: '2' },
        { topic: t, partition: 1, offset: '1' },
      ],
    });
    await waitFor('4 records', () => m.values().length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(m.values().sort()).toEqual(['p0-2', 'p0-3', 'p1-1', 'p1-2']);
    const firstBatch = m.events.findIndex((e) => e.kind === 'batch');
    const assignedDone = m.events.findIndex((e) => e.kind === 'assigned-done');
    expect(assignedDone).toBeGreaterThanOrEqual(0);
    expect(firstBatch).toBeGreaterThan(assignedDone);
    expect(m.consumer.assignment()).toEqual([
      { topic: t, partition: 0 },
      { topic: t, partition: 1 },
    ]);
  });

  it('reports assignment and revocation across a rebalance, and on disconnect', async () => {
    const t = await topic('rebalance', 6);
    const groupId = uniqueName('group');
    const a = await member(groupId, [t], { commit: true });
    await waitFor('first member assigned', () => a.consumer.assignment().length === 6);
    expect(a.events[0]).toEqual({ kind: 'assigned', partitions: Array.from({ length: 6 }, (_, p) => `${t}[${p}]`) });

    const b = await member(groupId, [t], { commit: true });
    await waitFor('both members assigned', () => a.consumer.assignment().length > 0 && b.consumer.assignment().length > 0 && a.consumer.assignment().length + b.consumer.assignment().length === 6, 60_000);
    const aParts = a.consumer.assignment().map(key);
    const bParts = b.consumer.assignment().map(key);
    expect(new Set([...aParts, ...bParts]).size).toBe(6);
    expect(aParts.filter((p) => bParts.includes(p))).toEqual([]);
    // The first member gave up everything it had (eager protocol) before taking its new share.
    const aRevoked = a.events.filter((e) => e.kind === 'revoked');
    expect(aRevoked[0]).toEqual({ kind: 'revoked', partitions: Array.from({ length: 6 }, (_, p) => `${t}[${p}]`) });
    const lastAssigned = a.events.filter((e) => e.kind === 'assigned').at(-1);
    expect(lastAssigned).toEqual({ kind: 'assigned', partitions: aParts });

    // Records on every partition are consumed exactly once between the two.
    await produce(t, Array.from({ length: 60 }, (_, i) => `r${i}`));
    await waitFor('60 records across members', () => a.values().length + b.values().length >= 60, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([...a.values(), ...b.values()].sort()).toEqual(Array.from({ length: 60 }, (_, i) => `r${i}`).sort());

    await b.consumer.disconnect();
    expect(b.events.at(-1)).toEqual({ kind: 'revoked', partitions: bParts });
    // The survivor takes over all partitions again.
    await waitFor('survivor owns all partitions', () => a.consumer.assignment().length === 6, 60_000);
    expect(a.crash()).toBeUndefined();
    expect(b.crash()).toBeUndefined();
  });

  it('does not deliver a paused partition until it is resumed', async () => {
    const t = await topic('pause', 2);
    const groupId = uniqueName('group');
    const m = await member(groupId, [t], { commit: true });
    await waitFor('assigned', () => m.consumer.assignment().length === 2);
    m.consumer.pause([{ topic: t, partition: 1 }]);
    await produce(t, ['x0'], 0);
    await produce(t, ['y0'], 1);
    await waitFor('partition 0 record', () => m.values().includes('x0'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(m.values()).toEqual(['x0']);
    m.consumer.resume([{ topic: t, partition: 1 }]);
    await waitFor('partition 1 record after resume', () => m.values().includes('y0'));
  });

  it('delivers nothing and reports the error when onPartitionsAssigned throws', async () => {
    const t = await topic('assign-fails', 1);
    await produce(t, ['never']);
    const consumer = kafka.client.consumer({ groupId: uniqueName('group') });
    members.push(consumer);
    let delivered = 0;
    let crash: Error | undefined;
    await consumer.connect();
    await consumer.subscribe([t]);
    await consumer.run({
      eachBatch: async () => {
        delivered++;
      },
      onPartitionsAssigned: async () => {
        throw new Error('offsets table unreachable');
      },
      onCrash: (err) => {
        crash = err;
      },
    });
    await waitFor('crash report', () => crash !== undefined);
    expect(crash?.message).toBe('offsets table unreachable');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(delivered).toBe(0);
    expect(consumer.assignment()).toEqual([]);
    await consumer.disconnect();
  });

  it('stops and reports the error when eachBatch throws, without retrying it', async () => {
    const t = await topic('crash', 1);
    const groupId = uniqueName('group');
    const consumer = kafka.client.consumer({ groupId });
    members.push(consumer);
    let calls = 0;
    let crash: Error | undefined;
    await consumer.connect();
    await consumer.subscribe([t]);
    await consumer.run({
      eachBatch: async () => {
        calls++;
        throw new Error('sink exploded');
      },
      onCrash: (err) => {
        crash = err;
      },
    });
    await produce(t, ['boom']);
    await waitFor('crash report', () => crash !== undefined);
    expect(crash?.message).toBe('sink exploded');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(calls).toBe(1);
    await expect(consumer.commitOffsets([{ topic: t, partition: 0, offset: '1' }])).rejects.toMatchObject({ code: 'KAFKA_REQUEST_FAILED', retriable: false });
    await consumer.disconnect();
  });
});
