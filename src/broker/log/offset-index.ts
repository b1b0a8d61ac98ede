/**
 * Sparse offset index of one segment: (batch base offset relative to the segment, byte position).
 * On disk (`.index`): 8-byte entries, relativeOffset:uint32 position:uint32, big-endian.
 * Invariant: relative offsets and positions strictly increase, and every position is the start of a
 * batch whose base offset is the entry's offset.
 */

import { SparseIndex } from './sparse-index.ts';

export const OFFSET_ENTRY_SIZE = 8;

export class OffsetIndex extends SparseIndex<number> {
  /** Byte position of the last indexed batch starting at or below `relativeOffset` (0 if none). */
  lookup(relativeOffset: number): number {
    return this.lastPositionWhere((rel) => rel <= relativeOffset);
  }

  /** Drops entries at or after `position` (the log was truncated there). */
  truncateToPosition(position: number): void {
    this.dropTrailing((p) => p >= position);
  }

  serialize(): Buffer {
    const buf = Buffer.allocUnsafe(this.length * OFFSET_ENTRY_SIZE);
    for (let i = 0; i < this.length; i++) {
      buf.writeUInt32BE(this.keys[i] as number, i * OFFSET_ENTRY_SIZE);
      buf.writeUInt32BE(this.positions[i] as number, i * OFFSET_ENTRY_SIZE + 4);
    }
    return buf;
  }

  /** Parses a persisted index; null when it is malformed or points past `segmentSize`. */
  static parse(buf: Buffer, segmentSize: number): OffsetIndex | null {
    if (buf.length % OFFSET_ENTRY_SIZE !== 0) return null;
    const idx = new OffsetIndex();
    for (let off = 0; off < buf.length; off += OFFSET_ENTRY_SIZE) {
      const rel = buf.readUInt32BE(off);
      const pos = buf.readUInt32BE(off + 4);
      if (pos >= segmentSize || !idx.push(rel, pos)) return null;
    }
    return idx;
  }
}
