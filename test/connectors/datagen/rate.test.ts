import { describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock.ts';
import { datagenTask } from './support.ts';

const ids = (batch: Array<{ value: unknown }> | null): number[] => (batch ?? []).map((r) => (r.value as { id: number }).id);

describe('datagen rate limiting', () => {
  it('releases the first record at once, then one per 1000/rate ms on the clock', async () => {
    const clock = new ManualClock();
    const task = datagenTask({ clock, config: { rate: 10, batchSize: 100 } });
    await task.start();
    const signal = new AbortController().signal;

    expect(ids(await task.poll(signal))).toEqual([1]);

    const second = task.poll(signal);
    await clock.untilSleeping();
    expect(clock.nextWakeIn).toBe(100);
    clock.advance(99);
    expect(clock.pending).toBe(1); // not yet due
    clock.advance(1);
    expect(ids(await second)).toEqual([2]);
  });

  it('releases what fell due during a stall, bounded by batchSize', async () => {
    const clock = new ManualClock();
    const task = datagenTask({ clock, config: { rate: 10, batchSize: 4 } });
    await task.start();
    const signal = new AbortController().signal;
    expect(ids(await task.poll(signal))).toEqual([1]);
    clock.advance(1000); // records 2..11 are now due
    expect(ids(await task.poll(signal))).toEqual([2, 3, 4, 5]);
    expect(ids(await task.poll(signal))).toEqual([6, 7, 8, 9]);
    expect(ids(await task.poll(signal))).toEqual([10, 11]);
  });

  it('averages to the configured rate over simulated time', async () => {
    const clock = new ManualClock();
    const task = datagenTask({ clock, config: { rate: 250, batchSize: 7 } });
    await task.start();
    const signal = new AbortController().signal;
    const startedAt = clock.now();
    let produced = 0;
    // Drive 10 simulated seconds: whenever the task sleeps, jump to its wake-up time.
    while (clock.now() - startedAt < 10_000) {
      const pending = task.poll(signal);
      const settled = await Promise.race([pending.then(() => true), clock.untilSleeping().then(() => false)]);
      if (!settled) clock.advance(clock.nextWakeIn ?? 1);
      produced += (await pending)?.length ?? 0;
    }
    // Record i is due at i * 4 ms, so by t = 10 000 ms records 0..2500 may have gone.
    expect(produced).toBeGreaterThanOrEqual(2490);
    expect(produced).toBeLessThanOrEqual(2501);
  });

  it('paces fractional rates (one record every 2 s at rate 0.5)', async () => {
    const clock = new ManualClock();
    const task = datagenTask({ clock, config: { rate: 0.5 } });
    await task.start();
    const signal = new AbortController().signal;
    expect(ids(await task.poll(signal))).toEqual([1]);
    const next = task.poll(signal);
    await clock.untilSleeping();
    expect(clock.nextWakeIn).toBe(2000);
    clock.advance(2000);
    expect(ids(await next)).toEqual([2]);
  });

  it('resolves a poll waiting on the rate limit with [] when aborted, losing no record', async () => {
    const clock = new ManualClock();
    const task = datagenTask({ clock, config: { rate: 1 } });
    await task.start();
    expect(ids(await task.poll(new AbortController().signal))).toEqual([1]);

    const ac = new AbortController();
    const waiting = task.poll(ac.signal);
    await clock.untilSleeping();
    ac.abort(new Error('stopping'));
    expect(await waiting).toEqual([]);
    expect(clock.pending).toBe(0);

    // The aborted wait consumed nothing: record 2 comes next, once due.
    const signal = new AbortController().signal;
    const next = task.poll(signal);
    await clock.untilSleeping();
    clock.advance(clock.nextWakeIn ?? 0);
    expect(ids(await next)).toEqual([2]);
  });
});
