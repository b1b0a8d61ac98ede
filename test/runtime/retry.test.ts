import { describe, expect, it } from 'vitest';
import { withRetry } from '../../src/runtime/retry.ts';
import type { Clock } from '../../src/sdk/clock.ts';
import { TributaryError } from '../../src/sdk/errors.ts';
import { silentLogger } from '../../src/sdk/logger.ts';

/** A clock whose sleeps complete at once and move time forward by the slept amount. */
function steppingClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

const policy = { timeoutMs: 10_000, initialDelayMs: 100, maxDelayMs: 1_000 };
const retriable = (): TributaryError => new TributaryError('SINK_FAILED', 'writing: connection reset');

describe('withRetry', () => {
  it('retries retriable errors with exponential backoff capped at maxDelay', async () => {
    const clock = steppingClock();
    let calls = 0;
    const result = await withRetry(
      'writing',
      async () => {
        calls++;
        if (calls < 6) throw retriable();
        return 'done';
      },
      { policy, clock, logger: silentLogger, random: () => 1 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(6);
    expect(clock.slept).toEqual([100, 200, 400, 800, 1000]);
  });

  it('rethrows a non-retriable error at once, unchanged', async () => {
    const clock = steppingClock();
    const fatal = new TributaryError('CONFIG_INVALID', 'bad config');
    await expect(withRetry('x', () => Promise.reject(fatal), { policy, clock, logger: silentLogger })).rejects.toBe(fatal);
    expect(clock.slept).toEqual([]);
  });

  it('gives up with the last error once the timeout is spent, never sleeping past it', async () => {
    const clock = steppingClock();
    let calls = 0;
    const err = await withRetry(
      'x',
      async () => {
        calls++;
        throw retriable();
      },
      { policy: { timeoutMs: 1_000, initialDelayMs: 300, maxDelayMs: 300 }, clock, logger: silentLogger, random: () => 1 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TributaryError);
    expect(clock.slept).toEqual([300, 300, 300, 100]);
    expect(calls).toBe(5);
  });

  it('honours a plain error carrying retriable: true (client libraries)', async () => {
    const clock = steppingClock();
    let calls = 0;
    await withRetry(
      'x',
      async () => {
        if (calls++ === 0) throw Object.assign(new Error('leader not available'), { retriable: true });
      },
      { policy, clock, logger: silentLogger, random: () => 0 },
    );
    expect(calls).toBe(2);
    expect(clock.slept).toEqual([50]);
  });
});
