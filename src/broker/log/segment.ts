/**
 * One log segment: `<base>.log` holding whole batches back to back, its sparse `.index` and
 * `.timeindex`, and `.txnindex` of aborted transactions whose marker it holds.
 *
 * Invariants:
 * - `size` is the committed end: every byte below it belongs to a fully written batch; readers never
 *   look past the `size` they captured.
 * - Only the active (last) segment is appended to; closed segments change only by being replaced
 *   whole (compaction) or deleted (retention).
 * - A segment that is replaced or deleted while reads hold it keeps its file handle open until the
 *   last reader releases it (POSIX keeps an unlinked or renamed-over inode readable).
 */

import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { offsetFileName, writeFileAtomic } from './file-util.ts';
import { OffsetIndex } from './offset-index.ts';
import { TimeIndex } from './time-index.ts';
import { parseAbortedTxns, serializeAbortedTxn, serializeAbortedTxns, type AbortedTxn } from './txn-index.ts';
import { lastOffsetOf, type BatchHeader } from './record-batch.ts';
import { BatchScanner, type ScanOptions } from './batch-scanner.ts';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const TXN_INDEX_SUFFIX = '.txnindex';
export const CLEANED_SUFFIX = '.log.cleaned';
export const SWAP_SUFFIX = '.log.swap';

/** Offsets inside a segment are stored relative to its base as uint32 in the indexes. */
export const MAX_RELATIVE_OFFSET = 0x7fffffffn;

export class Segment {
  /** Committed bytes. */
  size = 0;
  /** Offset after the last batch; the base offset while empty. */
  nextOffset: bigint;
  maxTimestamp = -1n;
  /** Position of the batch that holds maxTimestamp (its first, if several share it). */
  maxTimestampPosition = -1;
  /** Clock time (ms) of the first append since this process opened the segment; for segmentMs. */
  firstAppendMs: number | undefined;
  offsetIndex = new OffsetIndex();
  timeIndex = new TimeIndex();
  aborted: AbortedTxn[] = [];

  private bytesSinceIndex = 0;
  private fh: FileHandle | undefined;
  private opening: Promise<FileHandle> | undefined;
  private readers = 0;
  private retired = false;

  constructor(
    readonly dir: string,
    readonly baseOffset: bigint,
    private readonly indexIntervalBytes: number,
  ) {
    this.nextOffset = baseOffset;
  }

  get logPath(): string {
    return join(this.dir, offsetFileName(this.baseOffset, LOG_SUFFIX));
  }
  get indexPath(): string {
    return join(this.dir, offsetFileName(this.baseOffset, INDEX_SUFFIX));
  }
  get timeIndexPath(): string {
    return join(this.dir, offsetFileName(this.baseOffset, TIME_INDEX_SUFFIX));
  }
  get txnIndexPath(): string {
    return join(this.dir, offsetFileName(this.baseOffset, TXN_INDEX_SUFFIX));
  }
  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** Creates an empty segment file (truncating a leftover one of the same name). */
  static async create(dir: string, baseOffset: bigint, indexIntervalBytes: number): Promise<Segment> {
    const seg = new Segment(dir, baseOffset, indexIntervalBytes);
    seg.fh = await open(seg.logPath, 'w+');
    await rm(seg.txnIndexPath, { force: true });
    return seg;
  }

  /**
   * Opens the file handle now. Called before the file is renamed over or unlinked, so reads that
   * already hold this segment keep reading the old bytes.
   */
  async pin(): Promise<void> {
    await this.handle();
  }

  private handle(): Promise<FileHandle> {
    if (this.fh !== undefined) return Promise.resolve(this.fh);
    this.opening ??= open(this.logPath, 'r+').then((fh) => {
      this.fh = fh;
      return fh;
    });
    return this.opening;
  }

  /**
   * Records a batch that now lives at `position` (after a write, or found by a scan). Keeps the sparse
   * indexes: an offset entry every `indexIntervalBytes`, and a time entry at the same points when the
   * max timestamp so far grew.
   */
  trackBatch(h: BatchHeader, position: number): void {
    if (this.size === 0 || this.bytesSinceIndex >= this.indexIntervalBytes) {
      this.offsetIndex.append(Number(h.baseOffset - this.baseOffset), position);
      if (this.maxTimestamp > this.timeIndex.lastTimestamp) this.timeIndex.append(this.maxTimestamp, position);
      this.bytesSinceIndex = 0;
    }
    this.bytesSinceIndex += h.sizeInBytes;
    if (h.maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = h.maxTimestamp;
      this.maxTimestampPosition = position;
    }
    this.nextOffset = lastOffsetOf(h) + 1n;
    this.size = position + h.sizeInBytes;
  }

  /**
   * Writes `data` (whole batches) at the committed end. On failure the file is cut back to the old
   * end so no partial batch survives in this process; the caller tracks the batches on success.
   */
  async write(data: Buffer): Promise<void> {
    const fh = await this.handle();
    let done = 0;
    try {
      while (done < data.length) {
        const { bytesWritten } = await fh.write(data, done, data.length - done, this.size + done);
        if (bytesWritten <= 0) throw new Error('write made no progress');
        done += bytesWritten;
      }
    } catch (err) {
      await fh.truncate(this.size).catch(() => undefined);
      throw err;
    }
  }

  /** Reads [position, position + length) clipped to the committed size. */
  async read(position: number, length: number): Promise<Buffer> {
    const len = Math.max(0, Math.min(length, this.size - position));
    if (len === 0) return Buffer.alloc(0);
    const fh = await this.handle();
    const buf = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const { bytesRead } = await fh.read(buf, done, len - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === len ? buf : buf.subarray(0, done);
  }

  /** Reads ignoring the committed size; for recovery scans of a file of unknown validity. */
  async readRaw(position: number, length: number): Promise<Buffer> {
    const fh = await this.handle();
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  }

  scanner(start: number, end: number, o: ScanOptions): BatchScanner {
    return new BatchScanner((p, l) => this.read(p, l), start, end, o);
  }

  /** A scanner over the file as it is on disk, past the committed size; for recovery. */
  rawScanner(start: number, end: number, o: ScanOptions): BatchScanner {
    return new BatchScanner((p, l) => this.readRaw(p, l), start, end, o);
  }

  async fileSize(): Promise<number> {
    const fh = await this.handle();
    return (await fh.stat()).size;
  }

  async truncateFile(position: number): Promise<void> {
    const fh = await this.handle();
    await fh.truncate(position);
    await fh.sync();
  }

  async sync(): Promise<void> {
    const fh = await this.handle();
    await fh.datasync();
  }

  /** Persists the offset, time and txn indexes atomically. A closing entry pins the max timestamp. */
  async writeIndexes(): Promise<void> {
    if (this.size > 0 && this.maxTimestamp > this.timeIndex.lastTimestamp) this.timeIndex.append(this.maxTimestamp, this.size);
    await writeFileAtomic(this.indexPath, this.offsetIndex.serialize());
    await writeFileAtomic(this.timeIndexPath, this.timeIndex.serialize());
    await this.writeTxnIndex();
  }

  async writeTxnIndex(): Promise<void> {
    if (this.aborted.length === 0) {
      await rm(this.txnIndexPath, { force: true });
      return;
    }
    await writeFileAtomic(this.txnIndexPath, serializeAbortedTxns(this.aborted));
  }

  async appendAbortedTxn(e: AbortedTxn, sync: boolean): Promise<void> {
    this.aborted.push(e);
    const fh = await open(this.txnIndexPath, 'a');
    try {
      await fh.write(serializeAbortedTxn(e));
      if (sync) await fh.datasync();
    } finally {
      await fh.close();
    }
  }

  async loadTxnIndex(): Promise<void> {
    try {
      this.aborted = parseAbortedTxns(await readFile(this.txnIndexPath));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.aborted = [];
    }
  }

  /**
   * Loads persisted offset/time indexes if they are consistent with a file of `fileSize` bytes.
   * Returns false (nothing loaded) when they are missing or malformed.
   */
  async loadIndexes(fileSize: number): Promise<boolean> {
    let off: OffsetIndex | null;
    let time: TimeIndex | null;
    try {
      off = OffsetIndex.parse(await readFile(this.indexPath), fileSize);
      time = TimeIndex.parse(await readFile(this.timeIndexPath), fileSize);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    if (off === null || time === null || (fileSize > 0 && off.length === 0)) return false;
    this.offsetIndex = off;
    this.timeIndex = time;
    return true;
  }

  /**
   * Sets the in-memory state after {@link loadIndexes} by scanning only the tail past the last index
   * entries. Returns false when the tail does not parse to the exact file end (indexes then need a
   * full rebuild).
   */
  async restoreFromIndexes(fileSize: number): Promise<boolean> {
    const from = Math.min(this.offsetIndex.lastPosition, this.timeIndex.lastPosition);
    this.size = fileSize;
    this.maxTimestamp = this.timeIndex.lastTimestamp;
    this.maxTimestampPosition = -1;
    const scan = this.scanner(from, fileSize, { withBody: false });
    let last: BatchHeader | undefined;
    for await (const b of scan.batches()) {
      last = b.header;
      if (b.header.maxTimestamp > this.maxTimestamp) {
        this.maxTimestamp = b.header.maxTimestamp;
        this.maxTimestampPosition = b.position;
      }
    }
    const end = scan.result();
    if (end.invalidReason !== undefined || end.validEnd !== fileSize) return false;
    if (last !== undefined) this.nextOffset = lastOffsetOf(last) + 1n;
    this.bytesSinceIndex = fileSize - this.offsetIndex.lastPosition;
    return true;
  }

  /** Clears in-memory state before a full rebuild by scanning. */
  resetForRebuild(): void {
    this.size = 0;
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1n;
    this.maxTimestampPosition = -1;
    this.offsetIndex = new OffsetIndex();
    this.timeIndex = new TimeIndex();
    this.bytesSinceIndex = 0;
  }

  /** Finds the position of the batch holding the max timestamp when only the value is known. */
  async locateMaxTimestamp(): Promise<number> {
    if (this.maxTimestampPosition >= 0 || this.size === 0) return this.maxTimestampPosition;
    for await (const b of this.scanner(this.timeIndex.lookup(this.maxTimestamp), this.size, { withBody: false }).batches()) {
      if (b.header.maxTimestamp >= this.maxTimestamp) {
        this.maxTimestampPosition = b.position;
        break;
      }
    }
    return this.maxTimestampPosition;
  }

  acquire(): void {
    this.readers++;
  }

  release(): void {
    this.readers--;
    if (this.readers === 0 && this.retired) void this.closeHandle();
  }

  /** Takes the segment out of service; its handle closes once no read holds it. */
  retire(): void {
    this.retired = true;
    if (this.readers === 0) void this.closeHandle();
  }

  async deleteFiles(): Promise<void> {
    this.retire();
    await Promise.all([this.logPath, this.indexPath, this.timeIndexPath, this.txnIndexPath].map((p) => rm(p, { force: true })));
  }

  async closeHandle(): Promise<void> {
    const fh = this.fh ?? (this.opening ? await this.opening.catch(() => undefined) : undefined);
    this.fh = undefined;
    this.opening = undefined;
    await fh?.close().catch(() => undefined);
  }
}
