/**
 * Wakes long-polling Fetch requests when a partition they wait on changes: an append, a transaction
 * marker (which moves the last stable offset), or a topic deletion. Invariant: a waiter registered
 * before a notify for one of its partitions is always woken, so a fetch never sleeps through data
 * that arrived between its read and its wait (callers register before their final read).
 */
import type { Clock } from '../../sdk/clock.ts';

export interface AppendWait {
  /** Resolves on the first notify for a watched partition, the timeout, or the abort signal. */
  readonly done: Promise<void>;
  cancel(): void;
}

/** Cancels a waiter's timer; a fixed reason spares creating an AbortError (and its stack) per wake-up. */
const WOKEN = Symbol('woken');

export class AppendNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly clock: Clock) {}

  static key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  notify(topic: string, partition: number): void {
    const set = this.waiters.get(AppendNotifier.key(topic, partition));
    if (!set) return;
    for (const wake of [...set]) wake();
  }

  /** Watches `keys` (from {@link AppendNotifier.key}) for at most `timeoutMs`. */
  watch(keys: string[], timeoutMs: number, signal: AbortSignal): AppendWait {
    const timer = new AbortController();
    let wake!: () => void;
    const done = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const finish = (): void => {
      for (const key of keys) {
        const set = this.waiters.get(key);
        set?.delete(finish);
        if (set?.size === 0) this.waiters.delete(key);
      }
      signal.removeEventListener('abort', finish);
      timer.abort(WOKEN);
      wake();
    };
    for (const key of keys) {
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      set.add(finish);
    }
    if (signal.aborted) finish();
    else signal.addEventListener('abort', finish, { once: true });
    this.clock.sleep(Math.max(0, timeoutMs), timer.signal).then(finish, () => {});
    return { done, cancel: finish };
  }

  /** Waiters currently registered (for tests and leak checks). */
  get size(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }
}
