import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../../src/sdk/index.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { datagenTask, pollRecords } from './support.ts';

describe('datagen source', () => {
  it('produces the same records for the same seed and different ones for another seed', async () => {
    const a = datagenTask({ config: { seed: 7 } });
    const b = datagenTask({ config: { seed: 7 } });
    const c = datagenTask({ config: { seed: 8 } });
    for (const t of [a, b, c]) await t.start();
    const [ra, rb, rc] = await Promise.all([pollRecords(a, 300), pollRecords(b, 300), pollRecords(c, 300)]);
    expect(ra).toHaveLength(300);
    expect(rb).toEqual(ra);
    expect(rc.map((r) => r.value)).not.toEqual(ra.map((r) => r.value));
    // Ids and keys are positional, so only the generated fields differ between seeds.
    expect(rc.map((r) => r.key)).toEqual(ra.map((r) => r.key));
  });

  it('numbers records from 1 and stores the next id as the offset', async () => {
    const task = datagenTask({ pipeline: 'shop' });
    await task.start();
    const records = await pollRecords(task, 3);
    expect(records.map((r) => (r.value as { id: number }).id)).toEqual([1, 2, 3]);
    expect(records.map((r) => r.sourceOffset)).toEqual([{ seq: 2 }, { seq: 3 }, { seq: 4 }]);
    expect(records[0]?.sourcePartition).toEqual({ datagen: 'shop' });
  });

  it('names the offset stream after `stream` when configured', async () => {
    const task = datagenTask({ pipeline: 'shop', config: { stream: 'users-a' } });
    await task.start();
    const [first] = await pollRecords(task, 1);
    expect(first?.sourcePartition).toEqual({ datagen: 'users-a' });
  });

  it('resumes exactly after the last committed record', async () => {
    const original = datagenTask({ config: { seed: 3, batchSize: 50 } });
    await original.start();
    const all = await pollRecords(original, 250);
    const lastCommitted = all[136];
    expect(lastCommitted).toBeDefined();

    const resumed = datagenTask({ config: { seed: 3, batchSize: 50 }, committed: lastCommitted?.sourceOffset });
    await resumed.start();
    const rest = await pollRecords(resumed, 250 - 137);
    expect(rest).toEqual(all.slice(137));
    expect((rest[0]?.value as { id: number }).id).toBe(138);
  });

  it('returns null once count records were produced, in batches of batchSize', async () => {
    const task = datagenTask({ config: { count: 250, batchSize: 100 } });
    await task.start();
    const signal = new AbortController().signal;
    const sizes: Array<number | null> = [];
    for (let i = 0; i < 5; i++) sizes.push((await task.poll(signal))?.length ?? null);
    expect(sizes).toEqual([100, 100, 50, null, null]);
  });

  it('is exhausted at once when resumed after its last record, or when count is 0', async () => {
    const signal = new AbortController().signal;
    const resumed = datagenTask({ config: { count: 10 }, committed: { seq: 11 } });
    await resumed.start();
    expect(await resumed.poll(signal)).toBeNull();
    const empty = datagenTask({ config: { count: 0 } });
    await empty.start();
    expect(await empty.poll(signal)).toBeNull();
  });

  it('continues to count when resumed mid-way', async () => {
    const task = datagenTask({ config: { count: 10, batchSize: 4 }, committed: { seq: 8 } });
    await task.start();
    const records = await pollRecords(task, 100);
    expect(records.map((r) => (r.value as { id: number }).id)).toEqual([8, 9, 10]);
  });

  it('rejects a committed offset without a usable seq', async () => {
    for (const committed of [{}, { seq: '5' }, { seq: 0 }, { seq: 1.5 }]) {
      const task = datagenTask({ committed });
      const err = await task.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TributaryError);
      expect((err as TributaryError).code).toBe('SOURCE_FAILED');
      expect((err as TributaryError).retriable).toBe(false);
    }
  });

  it('keys records by id by default, and leaves keys null when keyed is false', async () => {
    const keyed = datagenTask();
    await keyed.start();
    const [k] = await pollRecords(keyed, 1);
    expect(k?.key).toBe('1');
    expect(k?.keySchema).toEqual({ type: 'string' });

    const unkeyed = datagenTask({ config: { keyed: false } });
    await unkeyed.start();
    const [u] = await pollRecords(unkeyed, 1);
    expect(u?.key).toBeNull();
    expect(u?.keySchema).toBeUndefined();
  });

  it("leaves topic '' for the runtime unless one is configured", async () => {
    const dflt = datagenTask();
    await dflt.start();
    expect((await pollRecords(dflt, 1))[0]?.topic).toBe('');
    const named = datagenTask({ config: { topic: 'users.v1' } });
    await named.start();
    expect((await pollRecords(named, 1))[0]?.topic).toBe('users.v1');
  });

  it('stamps the Kafka timestamp from the injected clock', async () => {
    const clock = new ManualClock(1_234_000);
    const task = datagenTask({ clock });
    await task.start();
    expect((await pollRecords(task, 1))[0]?.timestamp).toBe(1_234_000);
  });

  it('returns an empty batch when polled with an aborted signal', async () => {
    const task = datagenTask();
    await task.start();
    const ac = new AbortController();
    ac.abort();
    expect(await task.poll(ac.signal)).toEqual([]);
    // Nothing was consumed: the next poll still starts at id 1.
    expect(((await pollRecords(task, 1))[0]?.value as { id: number }).id).toBe(1);
  });

  it('is safe to stop twice', async () => {
    const task = datagenTask();
    await task.start();
    await task.stop();
    await task.stop();
  });
});
