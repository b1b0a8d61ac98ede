/**
 * Durable state for the coordinators: an append-only log of JSON entries. The group coordinator and the
 * transaction coordinator each own one store (separate files); entries are opaque to the store.
 *
 * Contract: `append` resolves only once the entry is durable (fsync'd), so a coordinator may reply to a
 * client after awaiting it. `load` returns every entry appended since the last `compact`, in append
 * order, after the compacted snapshot. Calls must not overlap with `compact`; coordinators serialize them.
 */
export interface CoordinatorStore {
  append(entry: object): Promise<void>;
  load(): Promise<object[]>;
  /** Replaces the whole log with `live` (the entries needed to rebuild current state). */
  compact?(live: object[]): Promise<void>;
}

export { FileCoordinatorStore } from './file-coordinator-store.ts';
export { MemoryCoordinatorStore } from './memory-coordinator-store.ts';
