import type { FileHandle } from 'node:fs/promises';
import type { Fingerprint, FingerprintOptions } from './fingerprint.ts';
import { fingerprintOfBytes } from './fingerprint.ts';
import { MultilineAggregator, singleLineEvent, type LogEvent, type LogLine, type MultilineOptions } from './multiline.ts';
import type { FileSourceEncoding } from './source-config.ts';
import { LineSplitter } from './tail-line-splitter.ts';

/** How many of the last consumed bytes are kept to tell a copy of a file from a look-alike. */
const RECENT_BYTES = 256;

export interface TailFileOptions {
  encoding: FileSourceEncoding;
  maxLineBytes: number;
  fingerprint: FingerprintOptions;
  multiline?: MultilineOptions;
}

/** Where reading a file resumes: the offset after the last line handed out, and that line's number. */
export interface TailPosition {
  byteOffset: number;
  line: number;
}

export type ReadOutcome =
  /**
   * `bytes` were consumed (read, verified, split); `events` are the lines (or multiline events) they
   * completed, and `cost` their estimated size on the wire (see `read`).
   */
  | { kind: 'read'; bytes: number; cost: number; events: LogEvent[] }
  /** Nothing new: the file ends where reading stands. */
  | { kind: 'eof' }
  /**
   * The open file no longer holds the content that was read from it (truncated, or truncated and
   * written again: copytruncate). Nothing of the last read was used; reading must continue from a
   * file that still has this fingerprint (the rotated copy), at the same position.
   */
  | { kind: 'replaced' };

/**
 * One tailed file, known by its fingerprint. It holds the open handle (when open), the read
 * position, and the line and multiline state between reads.
 *
 * Invariant: every byte handed to the splitter was read from a handle whose content was verified to
 * still carry this fingerprint after the read, so bytes of a different file never mix into this one.
 * Positions only move forward; the handle can change (to a copy of the same content) without the
 * position changing.
 */
export class TailedFile {
  readonly fingerprint: Fingerprint;
  /** The offset store's key for this file. Frozen: every record of the file shares it. */
  readonly sourcePartition: Readonly<Record<string, unknown>>;
  path: string;
  private handle: FileHandle | undefined;
  /** Device and inode of the open handle (or of the file last open). */
  dev = 0;
  ino = 0;
  /** When bytes were last read, on the task clock. */
  lastGrowthAt: number;
  private splitter: LineSplitter;
  private readonly aggregator: MultilineAggregator | undefined;
  private lineNo: number;
  private readonly verifyScratch: Buffer;
  /** The last bytes consumed (up to RECENT_BYTES), to recognise a true copy of this file. */
  private recent: Buffer = Buffer.alloc(0);
  private readonly decoding: BufferEncoding;

  constructor(
    fingerprint: Fingerprint,
    path: string,
    start: TailPosition,
    now: number,
    private readonly o: TailFileOptions,
  ) {
    this.fingerprint = fingerprint;
    this.sourcePartition = Object.freeze({ fingerprint: fingerprint.id });
    this.path = path;
    this.lastGrowthAt = now;
    this.splitter = new LineSplitter(o.maxLineBytes, start.byteOffset);
    this.lineNo = start.line;
    this.aggregator = o.multiline === undefined ? undefined : new MultilineAggregator(o.multiline);
    this.verifyScratch = Buffer.allocUnsafe(fingerprint.length);
    this.decoding = o.encoding === 'latin1' ? 'latin1' : 'utf8';
  }

  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  /** The next byte to read. */
  get readPosition(): number {
    return this.splitter.position;
  }

  /** Takes over `handle` (which holds this fingerprint's content) for reading. */
  attach(handle: FileHandle, path: string, dev: number, ino: number): void {
    this.handle = handle;
    this.path = path;
    this.dev = dev;
    this.ino = ino;
  }

  /**
   * Reads at most `into.length` bytes at the read position and splits them, stopping after the line
   * that brings the cost to `budget`: each line costs its bytes plus `perLineOverhead` (what a record
   * carries besides the line: key, headers, framing). Bytes after that line are left for the next
   * read, so one poll's records stay within a size Kafka accepts in one batch. `now` times multiline
   * events. See {@link ReadOutcome}.
   */
  async read(into: Buffer, now: number, budget: number, perLineOverhead: number): Promise<ReadOutcome> {
    const handle = this.handle;
    if (handle === undefined) return { kind: 'eof' };
    const { bytesRead } = await handle.read(into, 0, into.length, this.splitter.position);
    if (bytesRead === 0) {
      // A file cut below the read position shows no new bytes; only its size tells.
      const { size } = await handle.stat();
      return size < this.splitter.position ? { kind: 'replaced' } : { kind: 'eof' };
    }
    // Checked after the read: a truncation before or during it changes the head, so what was read is
    // only used when the head still matches afterwards.
    if (!(await this.stillSame(handle))) return { kind: 'replaced' };
    this.lastGrowthAt = now;
    const events: LogEvent[] = [];
    let cost = 0;
    const consumed = this.splitter.push(into.subarray(0, bytesRead), (split) => {
      this.lineNo++;
      const line: LogLine = { text: split.bytes.toString(this.decoding), bytes: split.bytes.length, start: split.start, end: split.end, truncated: split.truncated, lineNo: this.lineNo };
      if (this.aggregator === undefined) events.push(singleLineEvent(line));
      else {
        const done = this.aggregator.push(line, now);
        if (done !== undefined) events.push(done);
      }
      cost += split.bytes.length + perLineOverhead;
      return cost < budget;
    });
    this.remember(into.subarray(0, consumed));
    return { kind: 'read', bytes: consumed, cost, events };
  }

  /**
   * Starts over at byte 0 with empty line state: the file was truncated in place and written again
   * with the same first line(s), so its fingerprint did not change but its content did.
   */
  rewind(): void {
    this.recent = Buffer.alloc(0);
    this.splitter = new LineSplitter(this.o.maxLineBytes, 0);
    this.aggregator?.flush();
    this.lineNo = 0;
  }

  /** The pending multiline event once its timeout has passed. */
  flushDue(now: number): LogEvent | undefined {
    return this.aggregator?.flushDue(now);
  }

  /** The pending multiline event, whatever its age (the file is being given up). */
  flushPending(): LogEvent | undefined {
    return this.aggregator?.flush();
  }

  get multilineDeadline(): number | undefined {
    return this.aggregator?.deadline;
  }

  /**
   * Whether `handle` holds the bytes this file had just before the read position: true for a copy
   * made by copytruncate, false for a different file that merely begins with the same line(s).
   * Nothing consumed yet (or only since a restart) means nothing to compare: true.
   */
  async holdsOwnBytes(handle: FileHandle): Promise<boolean> {
    const n = this.recent.length;
    if (n === 0) return true;
    const buf = Buffer.allocUnsafe(n);
    const { bytesRead } = await handle.read(buf, 0, n, this.readPosition - n);
    return bytesRead === n && buf.equals(this.recent);
  }

  private remember(consumed: Buffer): void {
    if (consumed.length >= RECENT_BYTES) this.recent = Buffer.from(consumed.subarray(consumed.length - RECENT_BYTES));
    else {
      const joined = Buffer.concat([this.recent, consumed]);
      this.recent = joined.length > RECENT_BYTES ? joined.subarray(joined.length - RECENT_BYTES) : joined;
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async stillSame(handle: FileHandle): Promise<boolean> {
    const { bytesRead } = await handle.read(this.verifyScratch, 0, this.fingerprint.length, 0);
    if (bytesRead < this.fingerprint.length) return false;
    const now = fingerprintOfBytes(this.verifyScratch.subarray(0, bytesRead), { ...this.o.fingerprint, maxBytes: this.fingerprint.length });
    return now?.id === this.fingerprint.id;
  }
}
