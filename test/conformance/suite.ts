/**
 * The conformance cases: client behaviours the framework relies on, asserted identically against the
 * embedded broker and real Apache Kafka. A case that passes on Kafka and fails on the embedded broker
 * is a broker bug; one that fails on both is a test or client bug.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../harness/names.ts';
import { waitFor, type ClientFactory, type Codec, type ConformanceClient, type InMessage } from './support/client.ts';
import type { BrokerTarget, TargetSpec } from './support/targets.ts';

export interface ClientSpec {
  readonly name: string;
  readonly codecs: readonly Codec[];
  readonly create: ClientFactory;
}

const ALL_CODECS: readonly Codec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

const values = (ms: InMessage[]): string[] => ms.map((m) => m.value);

export function conformanceSuite(clientSpec: ClientSpec, targetSpec: TargetSpec): void {
  describe(`${clientSpec.name} against the ${targetSpec.name}`, () => {
    let target: BrokerTarget;
    let client: ConformanceClient;

    beforeAll(async () => {
      target = await targetSpec.start();
      client = await clientSpec.create(target.brokers());
    });

    afterAll(async () => {
      await client?.close();
      await target?.stop();
    });

    for (const codec of ALL_CODECS) {
      it.skipIf(!clientSpec.codecs.includes(codec))(`produces and consumes ${codec}-compressed batches byte for byte`, async () => {
        const topic = uniqueName(`codec-${codec}`);
        await client.createTopic(topic, 1);
        const sent = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `value-${i}-${'x'.repeat(i * 20)}`, headers: { n: String(i) } }));
        await client.produce(topic, sent.slice(0, 25), { compression: codec });
        await client.produce(topic, sent.slice(25), { compression: codec });
        const got = await client.consume(topic, 50);
        expect(got.map((m) => [m.key, m.value, m.headers.n])).toEqual(sent.map((m) => [m.key, m.value, m.headers.n]));
        expect(got.map((m) => m.offset)).toEqual(sent.map((_, i) => BigInt(i)));
      });
    }

    it('keeps every key on one partition, in the order produced', async () => {
      const topic = uniqueName('keyed');
      await client.createTopic(topic, 3);
      const sent = Array.from({ length: 100 }, (_, i) => ({ key: `key-${i % 7}`, value: String(i) }));
      await client.produce(topic, sent);
      const got = await client.consume(topic, 100);
      expect(got).toHaveLength(100);
      for (let k = 0; k < 7; k++) {
        const forKey = got.filter((m) => m.key === `key-${k}`).sort((a, b) => (a.offset < b.offset ? -1 : 1));
        expect(new Set(forKey.map((m) => m.partition)).size).toBe(1);
        expect(forKey.map((m) => Number(m.value))).toEqual(sent.map((m, i) => (m.key === `key-${k}` ? i : -1)).filter((i) => i >= 0));
      }
    });

    it('rebalances a group of three members and delivers every record once', async () => {
      const topic = uniqueName('rebalance');
      const group = uniqueName('group');
      await client.createTopic(topic, 6);
      const m1 = await client.member(group, topic);
      await waitFor('the first member to own all 6 partitions', () => m1.assignment().length === 6, 60_000);
      const m2 = await client.member(group, topic);
      const m3 = await client.member(group, topic);
      const members = [m1, m2, m3];
      await waitFor('2 partitions per member', () => members.every((m) => m.assignment().length === 2), 60_000);
      expect(new Set(members.flatMap((m) => m.assignment())).size).toBe(6);

      await client.produce(topic, Array.from({ length: 60 }, (_, i) => ({ key: null, value: `a${i}`, partition: i % 6 })));
      const all = (): InMessage[] => members.flatMap((m) => m.received);
      await waitFor('60 records across the group', () => all().length >= 60, 60_000);
      expect(new Set(all().map((m) => `${m.partition}:${m.offset}`)).size).toBe(60);
      for (const m of members) expect(m.received.every((r) => m.assignment().includes(r.partition))).toBe(true);

      await m3.stop();
      await waitFor('3 partitions per remaining member', () => m1.assignment().length === 3 && m2.assignment().length === 3, 60_000);
      expect(new Set([...m1.assignment(), ...m2.assignment()]).size).toBe(6);
      await client.produce(topic, Array.from({ length: 30 }, (_, i) => ({ key: null, value: `b${i}`, partition: i % 6 })));
      await waitFor('the second 30 records', () => [m1, m2].flatMap((m) => m.received).filter((r) => r.value.startsWith('b')).length >= 30, 60_000);
      await m1.stop();
      await m2.stop();
    });

    it('an idempotent producer writes each record once', async () => {
      const topic = uniqueName('idempotent');
      await client.createTopic(topic, 2);
      for (let batch = 0; batch < 5; batch++) {
        await client.produce(topic, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `${batch}-${i}` })), { idempotent: true });
      }
      const got = await client.consume(topic, 100);
      expect(new Set(values(got)).size).toBe(100);
      for (const p of [0, 1]) {
        const offsets = got.filter((m) => m.partition === p).map((m) => m.offset);
        expect(offsets).toEqual(offsets.map((_, i) => BigInt(i)));
      }
    });

    it('shows committed transactions to read_committed consumers and hides aborted ones', async () => {
      const topic = uniqueName('txn');
      await client.createTopic(topic, 1);
      const p = await client.transactional(uniqueName('txn-id'));
      try {
        await p.begin();
        await p.send(topic, [0, 1, 2, 3, 4].map((i) => ({ key: null, value: `aborted-${i}` })));
        await p.abort();
        await p.begin();
        await p.send(topic, [0, 1, 2, 3, 4].map((i) => ({ key: null, value: `committed-${i}` })));
        await p.commit();
      } finally {
        await p.close();
      }
      expect(values(await client.consume(topic, 5, { isolation: 'read_committed' }))).toEqual([0, 1, 2, 3, 4].map((i) => `committed-${i}`));
      const uncommitted = values(await client.consume(topic, 10, { isolation: 'read_uncommitted' }));
      expect(uncommitted).toEqual([...[0, 1, 2, 3, 4].map((i) => `aborted-${i}`), ...[0, 1, 2, 3, 4].map((i) => `committed-${i}`)]);
    });

    it('holds read_committed consumers at an open transaction until it commits', async () => {
      const topic = uniqueName('lso');
      await client.createTopic(topic, 1);
      const p = await client.transactional(uniqueName('txn-id'));
      try {
        await p.begin();
        await p.send(topic, [{ key: null, value: 'in-txn' }]);
        await client.produce(topic, [{ key: null, value: 'after' }]);
        expect(values(await client.consume(topic, 2, { isolation: 'read_uncommitted' }))).toEqual(['in-txn', 'after']);
        await expect(client.consume(topic, 1, { isolation: 'read_committed', timeoutMs: 3_000 })).rejects.toThrow(/timed out/);
        await p.commit();
      } finally {
        await p.close();
      }
      expect(values(await client.consume(topic, 2, { isolation: 'read_committed' }))).toEqual(['in-txn', 'after']);
    });

    it('commits consumed offsets with the produced records in a consume-transform-produce loop', async () => {
      const input = uniqueName('ctp-in');
      const output = uniqueName('ctp-out');
      const group = uniqueName('ctp-group');
      await client.createTopic(input, 2);
      await client.createTopic(output, 1);
      await client.produce(input, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `m${i}` })));
      const loop = await client.loopConsumer(group, input);
      const p = await client.transactional(uniqueName('ctp-txn'));
      try {
        const batch = await loop.take(20, 60_000);
        const next = new Map<number, bigint>();
        for (const m of batch) if ((next.get(m.partition) ?? -1n) < m.offset + 1n) next.set(m.partition, m.offset + 1n);
        await p.begin();
        await p.send(output, batch.map((m) => ({ key: m.key, value: m.value.toUpperCase() })));
        await p.sendOffsets(loop, input, next);
        await p.commit();
        // Kafka completes transactional offset commits asynchronously after EndTxn; poll for them.
        const sameOffsets = async (): Promise<boolean> => {
          const got = await client.committed(group, input, 2);
          return got.size === next.size && [...next].every(([partition, offset]) => got.get(partition) === offset);
        };
        await waitFor('the transaction\'s offsets to be committed', sameOffsets, 30_000, 200);

        // An aborted round moves neither the output nor the group's offsets.
        await client.produce(input, [{ key: 'k0', value: 'late' }]);
        const late = await loop.take(1, 60_000);
        await p.begin();
        await p.send(output, [{ key: 'k0', value: 'LATE' }]);
        await p.sendOffsets(loop, input, new Map([[late[0]!.partition, late[0]!.offset + 1n]]));
        await p.abort();
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await sameOffsets()).toBe(true);
      } finally {
        await p.close();
        await loop.stop();
      }
      const out = values(await client.consume(output, 20, { isolation: 'read_committed' }));
      expect(out.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `M${i}`).sort());
    });

    it('fences a zombie transactional producer when a new instance starts', async () => {
      const topic = uniqueName('fence');
      const id = uniqueName('fence-id');
      await client.createTopic(topic, 1);
      const zombie = await client.transactional(id);
      const successor = { p: null as Awaited<ReturnType<ConformanceClient['transactional']>> | null };
      try {
        await zombie.begin();
        await zombie.send(topic, [{ key: null, value: 'zombie' }]);
        // kafkajs registers the transactional id on its first transaction, librdkafka on connect:
        // by the time a transaction has begun, the successor has bumped the epoch either way.
        successor.p = await client.transactional(id);
        await successor.p.begin();
        await expect(zombie.commit()).rejects.toThrow();
        await successor.p.send(topic, [{ key: null, value: 'successor' }]);
        await successor.p.commit();
      } finally {
        await zombie.close().catch(() => {});
        await successor.p?.close();
      }
      expect(values(await client.consume(topic, 1, { isolation: 'read_committed' }))).toEqual(['successor']);
    });
  });
}
