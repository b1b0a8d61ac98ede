/**
 * Cuts a byte stream into lines at `\n` (a `\r` before it is dropped), keeping their byte positions.
 * Lines longer than `maxLineBytes` keep their first `maxLineBytes` bytes and are marked truncated;
 * the rest of such a line is skipped up to its newline, without being held in memory.
 *
 * Invariant: bytes are pushed in file order with no gaps, so `position` is always the file offset
 * just after the last byte pushed, and a line's `end` is the offset just after its newline. Bytes of
 * an unfinished last line are held (at most `maxLineBytes`) until the newline arrives.
 */
export interface SplitLine {
  /** The line without its newline; only valid until the next `push` (it may share the chunk). */
  bytes: Buffer;
  /** Offset of the line's first byte. */
  start: number;
  /** Offset just after its newline. */
  end: number;
  truncated: boolean;
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;
  private lineStart: number;
  private pos: number;

  constructor(
    private readonly maxLineBytes: number,
    start: number,
  ) {
    this.lineStart = start;
    this.pos = start;
  }

  get position(): number {
    return this.pos;
  }

  /** Offset where the unfinished line (if any) began: resuming there re-reads it whole. */
  get unfinishedStart(): number {
    return this.lineStart;
  }

  /**
   * Splits `chunk`, which starts at `position`, calling `emit` for each finished line. When `emit`
   * returns false, splitting stops after that line and the rest of the chunk is left unconsumed
   * (the caller reads it again from `position`). Returns how many bytes of the chunk were consumed.
   */
  push(chunk: Buffer, emit: (line: SplitLine) => boolean): number {
    let i = 0;
    while (i < chunk.length) {
      const nl = chunk.indexOf(0x0a, i);
      if (nl < 0) {
        this.hold(chunk.subarray(i));
        this.pos += chunk.length - i;
        return chunk.length;
      }
      const end = this.pos + (nl - i) + 1;
      const more = emit(this.finish(chunk.subarray(i, nl), end));
      this.pos = end;
      this.lineStart = end;
      i = nl + 1;
      if (!more) return i;
    }
    return chunk.length;
  }

  /** Releases held bytes; the splitter stays usable. */
  clear(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  private hold(piece: Buffer): void {
    if (this.discarding || piece.length === 0) return;
    const room = this.maxLineBytes - this.pendingBytes;
    // A copy: the chunk's buffer is reused for the next read.
    if (piece.length > room) {
      this.pending.push(Buffer.from(piece.subarray(0, room)));
      this.pendingBytes += room;
      this.discarding = true;
    } else {
      this.pending.push(Buffer.from(piece));
      this.pendingBytes += piece.length;
    }
  }

  private finish(tail: Buffer, end: number): SplitLine {
    let bytes: Buffer;
    let truncated = this.discarding;
    if (this.pendingBytes === 0 && !this.discarding) {
      bytes = tail;
    } else {
      if (!this.discarding) this.hold(tail);
      truncated = this.discarding;
      bytes = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.discarding = false;
    }
    if (bytes.length > this.maxLineBytes) {
      bytes = bytes.subarray(0, this.maxLineBytes);
      truncated = true;
    }
    if (!truncated && bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    return { bytes, start: this.lineStart, end, truncated };
  }
}
