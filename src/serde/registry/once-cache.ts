/**
 * Values resolved once per key, for registry lookups on the record path: a known value is answered
 * synchronously (the steady state never awaits), concurrent misses of one key share one resolution,
 * and a failure is not kept, so the next call for that key tries again.
 */
export class OnceCache<K, V> {
  private readonly known = new Map<K, V>();
  private readonly pending = new Map<K, Promise<V>>();

  constructor(private readonly resolve: (key: K) => Promise<V>) {}

  /** The value if known, else the (shared) promise of it. */
  get(key: K): V | Promise<V> {
    if (this.known.has(key)) return this.known.get(key) as V;
    let pending = this.pending.get(key);
    if (pending === undefined) {
      pending = this.resolve(key)
        .then((value) => {
          this.known.set(key, value);
          return value;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }
}
