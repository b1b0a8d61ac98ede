/** In-process {@link CoordinatorStore}: durable only for the life of the object (tests, ephemeral brokers). */
import type { CoordinatorStore } from './coordinator-store.ts';

export class MemoryCoordinatorStore implements CoordinatorStore {
  private entries: object[] = [];

  append(entry: object): Promise<void> {
    this.entries.push(structuredClone(entry));
    return Promise.resolve();
  }

  load(): Promise<object[]> {
    return Promise.resolve(this.entries.map((e) => structuredClone(e)));
  }

  compact(live: object[]): Promise<void> {
    this.entries = live.map((e) => structuredClone(e));
    return Promise.resolve();
  }
}
