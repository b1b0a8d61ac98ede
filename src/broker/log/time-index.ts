/**
 * Sparse time index of one segment. An entry (T, P) means: every batch that starts before byte
 * position P has maxTimestamp <= T. So to find the first record with timestamp >= t, start scanning at
 * the P of the last entry with T < t.
 * On disk (`.timeindex`): 12-byte entries, timestamp:int64 position:uint32, big-endian.
 * Invariant: T and P strictly increase. A closed segment ends with an entry whose P is the segment
 * size, so its T is the segment's max timestamp.
 */

import { SparseIndex } from './sparse-index.ts';

export const TIME_ENTRY_SIZE = 12;

export class TimeIndex extends SparseIndex<bigint> {
  get lastTimestamp(): bigint {
    return this.keys[this.keys.length - 1] ?? -1n;
  }

  /** Position from which a scan finds the first batch that may hold a timestamp >= `timestamp`. */
  lookup(timestamp: bigint): number {
    return this.lastPositionWhere((ts) => ts < timestamp);
  }

  truncateToPosition(position: number): void {
    this.dropTrailing((p) => p > position);
  }

  serialize(): Buffer {
    const buf = Buffer.allocUnsafe(this.length * TIME_ENTRY_SIZE);
    for (let i = 0; i < this.length; i++) {
      buf.writeBigInt64BE(this.keys[i] as bigint, i * TIME_ENTRY_SIZE);
      buf.writeUInt32BE(this.positions[i] as number, i * TIME_ENTRY_SIZE + 8);
    }
    return buf;
  }

  static parse(buf: Buffer, segmentSize: number): TimeIndex | null {
    if (buf.length % TIME_ENTRY_SIZE !== 0) return null;
    const idx = new TimeIndex();
    for (let off = 0; off < buf.length; off += TIME_ENTRY_SIZE) {
      const ts = buf.readBigInt64BE(off);
      const pos = buf.readUInt32BE(off + 8);
      if (pos > segmentSize || !idx.push(ts, pos)) return null;
    }
    return idx;
  }
}
