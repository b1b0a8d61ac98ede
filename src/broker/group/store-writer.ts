/**
 * Appends coordinator entries to a {@link CoordinatorStore} and decides when to compact it.
 *
 * Invariant: `apply` (the in-memory effect of an entry) runs after the entry is durable and before the
 * writer counts it as settled, and compaction only starts when no append is in flight. So the snapshot
 * taken for compaction always includes every entry already written to the old file.
 */
import { errorMessage } from '../../sdk/errors.ts';
import type { Logger } from '../../sdk/logger.ts';
import type { CoordinatorStore } from './coordinator-store.ts';

export interface StoreWriterOptions {
  /** Compact once this many entries were appended since the last compaction (0 disables). */
  compactAfterAppends: number;
  /** Entries that rebuild the current state; called synchronously when compaction starts. */
  snapshot: () => object[];
}

export class StoreWriter {
  private inFlight = 0;
  private appendedSinceCompaction = 0;
  private compaction: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly store: CoordinatorStore,
    private readonly logger: Logger,
    private readonly opts: StoreWriterOptions,
  ) {}

  /** Resolves once `entry` is durable and `apply` has run; rejects (without applying) if the write fails. */
  async append(entry: object, apply?: () => void): Promise<void> {
    this.inFlight += 1;
    try {
      await this.store.append(entry);
      this.appendedSinceCompaction += 1;
      apply?.();
    } finally {
      this.inFlight -= 1;
      this.settled();
    }
  }

  /** Resolves when no append or compaction is in flight. */
  async flush(): Promise<void> {
    while (this.inFlight > 0 || this.compaction !== null) {
      if (this.compaction !== null) await this.compaction;
      else await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private settled(): void {
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
    this.maybeCompact();
  }

  private maybeCompact(): void {
    const threshold = this.opts.compactAfterAppends;
    if (threshold <= 0 || this.appendedSinceCompaction < threshold || this.compaction !== null) return;
    const compact = this.store.compact?.bind(this.store);
    if (compact === undefined) return;
    const live = this.opts.snapshot();
    this.appendedSinceCompaction = 0;
    this.compaction = compact(live)
      .then(() => this.logger.debug({ entries: live.length }, 'compacted coordinator store'))
      .catch((err: unknown) => this.logger.warn({ err: errorMessage(err) }, 'compacting coordinator store failed; will retry later'))
      .finally(() => {
        this.compaction = null;
      });
  }
}
