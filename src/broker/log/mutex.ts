/**
 * A FIFO async mutex. Invariant: at most one `run` callback of a given mutex executes at a time, and
 * callbacks start in the order `run` was called.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    // The chain continues after a failure; the caller still sees the rejection through `result`.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
