import type { Clock } from '../../../src/sdk/index.ts';

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/**
 * A Clock whose time moves only when the test calls `advance()`. Sleeps resolve when time passes
 * their deadline and reject with the signal's reason on abort, exactly as `systemClock` does.
 */
export class ManualClock implements Clock {
  private time: number;
  private sleepers: Sleeper[] = [];
  private waiting: Array<() => void> = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = {
        wakeAt: this.time + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      for (const w of this.waiting.splice(0)) w();
    });
  }

  /** Moves time forward, waking every sleeper whose deadline has passed. */
  advance(ms: number): void {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.wakeAt <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.time);
    for (const s of due) s.resolve();
  }

  /** How many sleeps are pending. */
  get pending(): number {
    return this.sleepers.length;
  }

  /** Resolves once at least one sleep is pending (so a test can advance past it). */
  async untilSleeping(): Promise<void> {
    if (this.sleepers.length > 0) return;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** The deadline of the earliest pending sleep, relative to now. */
  get nextWakeIn(): number | undefined {
    if (this.sleepers.length === 0) return undefined;
    return Math.min(...this.sleepers.map((s) => s.wakeAt)) - this.time;
  }
}
