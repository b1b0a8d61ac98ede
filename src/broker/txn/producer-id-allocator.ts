/**
 * A {@link ProducerIdAllocator} that reserves ids in blocks, persisting each block's end before handing
 * out any id from it. Invariant: every id returned is below a persisted high-water mark, and after a
 * restart allocation resumes at that mark, so no id is ever returned twice (ids skipped by a crash are
 * simply never used). Store entries: {"t":"pid-block","end":"2000"} (exclusive end, decimal string).
 */
import { TributaryError } from '../../sdk/errors.ts';
import type { CoordinatorStore } from '../group/coordinator-store.ts';
import type { ProducerIdAllocator } from './transaction-coordinator.ts';

export interface BlockProducerIdAllocatorOptions {
  /** Ids reserved per store write (default 1000). */
  blockSize?: number;
  /** First id ever handed out (default 0). */
  firstId?: bigint;
}

export class BlockProducerIdAllocator implements ProducerIdAllocator {
  private nextId: bigint;
  private blockEnd: bigint;
  private reserving: Promise<void> | null = null;
  private writesSinceCompaction = 0;

  private constructor(
    private readonly store: CoordinatorStore,
    private readonly blockSize: bigint,
    highWater: bigint,
  ) {
    this.nextId = highWater;
    this.blockEnd = highWater;
  }

  static async load(store: CoordinatorStore, opts: BlockProducerIdAllocatorOptions = {}): Promise<BlockProducerIdAllocator> {
    const blockSize = BigInt(opts.blockSize ?? 1000);
    if (blockSize <= 0n) throw new TributaryError('CONFIG_INVALID', 'loading producer id allocator: blockSize must be positive');
    let highWater = opts.firstId ?? 0n;
    for (const raw of await store.load()) {
      const r = raw as Record<string, unknown>;
      if (r.t === 'pid-block' && typeof r.end === 'string' && /^\d+$/.test(r.end)) {
        const end = BigInt(r.end);
        if (end > highWater) highWater = end;
      }
    }
    return new BlockProducerIdAllocator(store, blockSize, highWater);
  }

  async next(): Promise<bigint> {
    while (this.nextId >= this.blockEnd) {
      this.reserving ??= this.reserveBlock().finally(() => {
        this.reserving = null;
      });
      await this.reserving;
    }
    const id = this.nextId;
    this.nextId += 1n;
    return id;
  }

  private async reserveBlock(): Promise<void> {
    const end = this.blockEnd + this.blockSize;
    await this.store.append({ t: 'pid-block', end: end.toString() });
    this.blockEnd = end;
    this.writesSinceCompaction += 1;
    // Only the latest mark matters; keep the file from growing without bound.
    if (this.writesSinceCompaction >= 100 && this.store.compact !== undefined) {
      this.writesSinceCompaction = 0;
      await this.store.compact([{ t: 'pid-block', end: end.toString() }]);
    }
  }
}
