import type { Clock } from '../../src/sdk/index.ts';

/**
 * Paces emission to an average rate on the injected clock. Record i (0-based, counted from the
 * first `acquire`) is due at t0 + i * 1000 / rate. The rate is an average, not a ceiling on bursts:
 * after a stall (a slow broker) the records that fell due meanwhile are released at once, bounded by
 * the caller's batch size per call.
 */
export class Pacer {
  private readonly clock: Clock;
  private readonly msPerRecord: number;
  private startedAt: number | undefined;
  private released = 0;

  constructor(clock: Clock, recordsPerSecond: number) {
    this.clock = clock;
    this.msPerRecord = 1000 / recordsPerSecond;
  }

  /**
   * Waits until at least one record is due, then takes and returns how many may go now (1..max).
   * Returns 0 without taking any when `signal` aborts while waiting.
   */
  async acquire(max: number, signal: AbortSignal): Promise<number> {
    const startedAt = (this.startedAt ??= this.clock.now());
    for (;;) {
      if (signal.aborted) return 0;
      const elapsed = this.clock.now() - startedAt;
      const due = Math.floor(elapsed / this.msPerRecord) + 1 - this.released;
      if (due >= 1) {
        const n = Math.min(max, due);
        this.released += n;
        return n;
      }
      // At least 1 ms, so float rounding at the boundary can never spin without the clock moving.
      const wait = Math.max(1, Math.ceil(this.released * this.msPerRecord - elapsed));
      try {
        await this.clock.sleep(wait, signal);
      } catch (err) {
        if (signal.aborted) return 0;
        throw err;
      }
    }
  }
}
