/**
 * What the offset and time indexes share: sparse (key, byte position) entries of one segment, both
 * strictly increasing. Each index decides which entries a lookup or a truncation keeps.
 */
export abstract class SparseIndex<K extends number | bigint> {
  protected readonly keys: K[] = [];
  protected readonly positions: number[] = [];

  get length(): number {
    return this.keys.length;
  }

  /** Position of the last entry; 0 when empty. */
  get lastPosition(): number {
    return this.positions[this.positions.length - 1] ?? 0;
  }

  /** Adds an entry; one that does not increase both the key and the position is ignored. */
  append(key: K, position: number): void {
    this.push(key, position);
  }

  /** Adds the entry when it keeps the invariant; says whether it did. */
  protected push(key: K, position: number): boolean {
    const n = this.keys.length;
    if (n > 0 && (key <= (this.keys[n - 1] as K) || position <= (this.positions[n - 1] as number))) return false;
    this.keys.push(key);
    this.positions.push(position);
    return true;
  }

  /** Position of the last entry whose key passes `before` (true for a prefix of the keys); 0 if none. */
  protected lastPositionWhere(before: (key: K) => boolean): number {
    let lo = 0;
    let hi = this.keys.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.keys[mid] as K)) {
        found = this.positions[mid] as number;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Drops the trailing entries whose position passes `drop`. */
  protected dropTrailing(drop: (position: number) => boolean): void {
    let n = this.positions.length;
    while (n > 0 && drop(this.positions[n - 1] as number)) n--;
    this.keys.length = n;
    this.positions.length = n;
  }
}
