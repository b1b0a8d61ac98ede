import { open, type FileHandle } from 'node:fs/promises';
import { TributaryError, errorMessage, type Logger, type RecordHeader, type SourceRecord, type SourceTask, type SourceTaskContext } from '../../src/sdk/index.ts';
import type { FingerprintOptions } from './fingerprint.ts';
import type { LogEvent, MultilineOptions } from './multiline.ts';
import { FILE_SOURCE_DEFAULTS, type FileSourceConfig } from './source-config.ts';
import { compileExclude, compileGlob } from './source-glob.ts';
import { FileScanner, type ScannedFile } from './source-scan.ts';
import { TailedFile, type TailFileOptions, type TailPosition } from './tail-file.ts';

/** Header naming the file a record was read from (its path when the line was read). */
export const PATH_HEADER = 'tributary.file.path';
/** Header present (value `true`) on records whose line was cut at maxLineBytes. */
export const TRUNCATED_HEADER = 'tributary.file.truncated';

/** Bytes read from one file at a time. */
const READ_CHUNK = 256 * 1024;
/** Scans a same-fingerprint second file must survive before it is reported (copytruncate takes one). */
const DUPLICATE_SCANS = 3;
/** Framing bytes per record beyond key, value and headers, as the runtime estimates them. */
const RECORD_OVERHEAD = 64;
/** How far back from the end `readFrom: end` looks for the last complete line. */
const END_SEARCH = 64 * 1024;

/**
 * Tails files matching globs, following rename and copytruncate rotation, and resumes exactly after
 * a restart (see the README for the whole story).
 *
 * Files are known by their content fingerprint (fingerprint.ts), which is the source partition:
 * `{ fingerprint }`. Each record's source offset is `{ path, byteOffset, line }` just after its line,
 * so the runtime's exactly-once path commits lines and positions together, and a restarted task
 * continues each file, wherever rotation has moved it, after the last committed line.
 *
 * Invariants:
 * - A file's lines are returned in file order, and a position is never handed out for a line that
 *   was not returned (unfinished lines and pending multiline events stay behind the position).
 * - A byte is only turned into a line after a read that verified the open file still carries the
 *   fingerprint (tail-file.ts), so a truncated file is never mixed with its successor.
 * - `poll()` is never concurrent with itself (the SourceTask contract), so no state here is shared
 *   between overlapping calls.
 */
export class FileSourceTask implements SourceTask {
  private readonly config: FileSourceConfig;
  private readonly logger: Logger;
  private scanner: FileScanner | undefined;
  private tailOptions: TailFileOptions | undefined;
  /** Every file seen in this run, by fingerprint id; closed ones keep their position. */
  private readonly files = new Map<string, TailedFile>();
  private readonly readBuffer = Buffer.allocUnsafe(READ_CHUNK);
  /** Paths that share a tracked file's fingerprint but not its inode, and for how many scans. */
  private readonly duplicates = new Map<string, { fingerprint: string; scans: number; warned: boolean }>();
  private nextScanAt = 0;
  private scanned = false;
  private roundRobin = 0;
  private stopped = false;

  constructor(private readonly ctx: SourceTaskContext<FileSourceConfig>) {
    this.config = { ...FILE_SOURCE_DEFAULTS, ...ctx.config } as FileSourceConfig;
    this.logger = ctx.logger;
  }

  async start(): Promise<void> {
    const cwd = process.cwd();
    const fingerprint: FingerprintOptions = { maxBytes: this.config.fingerprintBytes, lines: this.config.fingerprintLines };
    this.scanner = new FileScanner(
      this.config.include.map((p) => compileGlob(p, cwd)),
      this.config.exclude.map((p) => compileExclude(p, cwd)),
      fingerprint,
    );
    this.tailOptions = { encoding: this.config.encoding, maxLineBytes: this.config.maxLineBytes, fingerprint };
    const multiline = this.multilineOptions();
    if (multiline !== undefined) this.tailOptions.multiline = multiline;
    await this.scan();
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    if (signal.aborted || this.stopped) return [];
    const clock = this.ctx.clock;
    let now = clock.now();
    if (now >= this.nextScanAt) await this.scan();
    const records: SourceRecord[] = [];
    let budget = this.config.maxPollBytes;
    const open = [...this.files.values()].filter((f) => f.isOpen);
    // Rotate the starting file so one busy file cannot starve the others.
    this.roundRobin = (this.roundRobin + 1) % Math.max(1, open.length);
    const order = [...open.slice(this.roundRobin), ...open.slice(0, this.roundRobin)];
    let progressed = true;
    while (budget > 0 && progressed && !signal.aborted) {
      progressed = false;
      for (const file of order) {
        if (!file.isOpen || budget <= 0) continue;
        const into = budget < this.readBuffer.length ? this.readBuffer.subarray(0, budget) : this.readBuffer;
        const outcome = await this.read(file, into, now, budget);
        if (outcome.kind === 'read') {
          budget -= outcome.cost;
          progressed = true;
          for (const e of outcome.events) records.push(this.toRecord(file, e, now));
        } else if (outcome.kind === 'replaced') {
          for (const e of await this.relocate(file)) records.push(this.toRecord(file, e, now));
        } else if (now - file.lastGrowthAt >= this.config.closeIdleMs) {
          const pending = file.flushPending();
          if (pending !== undefined) records.push(this.toRecord(file, pending, now));
          await file.close();
          this.logger.debug({ path: file.path, position: file.readPosition }, 'closed idle file');
        }
      }
    }
    now = clock.now();
    for (const file of this.files.values()) {
      const due = file.flushDue(now);
      if (due !== undefined) records.push(this.toRecord(file, due, now));
    }
    if (records.length === 0) await this.idle(signal, now);
    return records;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.files.values()].map((f) => f.close()));
  }

  private async read(file: TailedFile, into: Buffer, now: number, budget: number): ReturnType<TailedFile['read']> {
    // What a record adds to its line on the wire: the path header, the key, and record framing.
    const keyBytes = this.config.key === 'path' ? file.path.length : this.config.key === 'file' ? 32 : 0;
    const overhead = PATH_HEADER.length + Buffer.byteLength(file.path) + keyBytes + RECORD_OVERHEAD;
    try {
      return await file.read(into, now, budget, overhead);
    } catch (err) {
      throw new TributaryError('SOURCE_FAILED', `reading ${file.path} at byte ${file.readPosition}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Waits for the earliest of: the poll interval, the next scan, a multiline timeout. */
  private async idle(signal: AbortSignal, now: number): Promise<void> {
    let wait = Math.min(this.config.pollIntervalMs, this.nextScanAt - now);
    for (const file of this.files.values()) {
      const deadline = file.multilineDeadline;
      if (deadline !== undefined) wait = Math.min(wait, deadline - now);
    }
    if (wait > 0) await this.ctx.clock.sleep(wait, signal).catch(() => undefined);
  }

  private async scan(): Promise<void> {
    const scanner = this.scanner as FileScanner;
    const found = await scanner.scan();
    const byFingerprint = new Map<string, ScannedFile[]>();
    for (const f of found) {
      if (f.fingerprint === undefined) continue;
      const list = byFingerprint.get(f.fingerprint.id);
      if (list === undefined) byFingerprint.set(f.fingerprint.id, [f]);
      else list.push(f);
    }
    const fresh: ScannedFile[] = [];
    for (const [id, list] of byFingerprint) {
      const known = this.files.get(id);
      if (known === undefined) {
        // Two new paths with one fingerprint: a copy being made, or files with identical heads. The
        // first is read; once one is tracked, noteDuplicate reports a look-alike that stays.
        fresh.push(list[0] as ScannedFile);
        continue;
      }
      const same = list.find((f) => f.dev === known.dev && f.ino === known.ino);
      if (same !== undefined) known.path = same.path;
      for (const f of list) if (f !== same) this.noteDuplicate(f, known);
      // An open file is read through its handle whatever its path. A closed one reopens on its own
      // inode when that still holds its content, else on a copy of it (copytruncate while closed).
      if (known.isOpen || this.openCount() >= this.config.maxOpenFiles) continue;
      const candidate = same ?? list.find((f) => f.size >= known.readPosition);
      if (candidate !== undefined && candidate.size > known.readPosition) await this.attach(known, candidate, candidate !== same);
    }
    await this.track(fresh);
    for (const path of this.duplicates.keys()) if (!found.some((f) => f.path === path)) this.duplicates.delete(path);
    this.scanned = true;
    this.nextScanAt = this.ctx.clock.now() + this.config.scanIntervalMs;
  }

  /**
   * A second file with a known fingerprint is normal for a moment (copytruncate copies, then cuts).
   * One that stays is a different file whose first lines are identical (a banner, a CSV header): it
   * is not read, so say so, once, with the fix.
   */
  private noteDuplicate(f: ScannedFile, known: TailedFile): void {
    const seen = this.duplicates.get(f.path);
    if (seen === undefined || seen.fingerprint !== known.fingerprint.id) {
      this.duplicates.set(f.path, { fingerprint: known.fingerprint.id, scans: 1, warned: false });
      return;
    }
    seen.scans++;
    if (seen.scans >= DUPLICATE_SCANS && !seen.warned) {
      seen.warned = true;
      this.logger.warn(
        { path: f.path, samePrefixAs: known.path, fingerprint: known.fingerprint.id },
        'file starts with the same bytes as another file and is taken for a copy of it, so it is not read; raise fingerprintLines (or fingerprintBytes) so files differ in what is hashed',
      );
    }
  }

  /** Starts tracking files never seen in this run, at their committed position or per readFrom. */
  private async track(fresh: ScannedFile[]): Promise<void> {
    const committed = fresh.map((f) => this.committedPosition(f));
    // readFrom: end is for a fresh start only; once any position exists, new files are rotations
    // or additions made while the task was down, and their lines must not be skipped.
    const fromEnd = this.config.readFrom === 'end' && !this.scanned && this.files.size === 0 && committed.every((c) => c === undefined);
    for (const [i, f] of fresh.entries()) {
      const fingerprint = f.fingerprint;
      if (fingerprint === undefined) continue;
      let start = committed[i];
      if (start !== undefined && f.size < start.byteOffset) {
        this.logger.warn({ path: f.path, committed: start.byteOffset, size: f.size }, 'file is shorter than its committed position (truncated in place); reading it from the start');
        start = { byteOffset: 0, line: 0 };
      }
      if (start === undefined) start = fromEnd ? await this.endOf(f) : { byteOffset: 0, line: 0 };
      const file = new TailedFile(fingerprint, f.path, start, this.ctx.clock.now(), this.tailOptions as TailFileOptions);
      this.files.set(fingerprint.id, file);
      this.logger.info({ path: f.path, fingerprint: fingerprint.id, byteOffset: start.byteOffset, resumed: committed[i] !== undefined }, 'tailing file');
      if (f.size > start.byteOffset && this.openCount() < this.config.maxOpenFiles) await this.attach(file, f);
    }
  }

  private committedPosition(f: ScannedFile): TailPosition | undefined {
    const offset = this.ctx.committedOffset({ fingerprint: f.fingerprint?.id });
    if (offset === undefined) return undefined;
    const { byteOffset, line } = offset;
    if (typeof byteOffset !== 'number' || !Number.isSafeInteger(byteOffset) || byteOffset < 0 || typeof line !== 'number' || !Number.isSafeInteger(line) || line < 0) {
      throw new TributaryError('SOURCE_FAILED', `resuming ${f.path}: committed offset ${JSON.stringify(offset)} has no valid byteOffset and line`, { retriable: false });
    }
    return { byteOffset, line };
  }

  /** Just after the last complete line, for readFrom: end (a line being written is read whole). */
  private async endOf(f: ScannedFile): Promise<TailPosition> {
    const handle = await open(f.path, 'r').catch(() => undefined);
    if (handle === undefined) return { byteOffset: f.size, line: 0 };
    try {
      const from = Math.max(0, f.size - END_SEARCH);
      const buf = Buffer.allocUnsafe(f.size - from);
      const { bytesRead } = await handle.read(buf, 0, buf.length, from);
      const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
      return { byteOffset: nl < 0 ? f.size : from + nl + 1, line: 0 };
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Opens `f` for `file`; a different inode (`isCopy`) must also hold the bytes last read from it. */
  private async attach(file: TailedFile, f: ScannedFile, isCopy = false): Promise<boolean> {
    const handle: FileHandle | undefined = await (this.scanner as FileScanner).openMatching(f);
    if (handle === undefined) return false;
    if (isCopy && !(await file.holdsOwnBytes(handle).catch(() => false))) {
      await handle.close().catch(() => undefined);
      return false;
    }
    file.attach(handle, f.path, f.dev, f.ino);
    file.lastGrowthAt = this.ctx.clock.now();
    return true;
  }

  /**
   * The open file no longer holds `file`'s content. Continue from a copy that does (copytruncate),
   * or start over on the same inode if only its tail was cut (same head), or give the file up.
   * Returns a pending multiline event when the file is given up.
   */
  private async relocate(file: TailedFile): Promise<LogEvent[]> {
    const oldDev = file.dev;
    const oldIno = file.ino;
    await file.close();
    const found = await (this.scanner as FileScanner).scan();
    this.nextScanAt = 0;
    const copy = found.find((f) => f.fingerprint?.id === file.fingerprint.id && f.size >= file.readPosition && !(f.dev === oldDev && f.ino === oldIno));
    if (copy !== undefined && (await this.attach(file, copy, true))) {
      this.logger.info({ from: file.path, to: copy.path, byteOffset: file.readPosition }, 'file was truncated; continuing in its rotated copy');
      return [];
    }
    const same = found.find((f) => f.dev === oldDev && f.ino === oldIno);
    if (same !== undefined && same.fingerprint?.id === file.fingerprint.id) {
      this.logger.warn({ path: same.path, byteOffset: file.readPosition }, 'file was truncated in place and rewritten with the same first line; reading it from the start');
      file.rewind();
      await this.attach(file, same);
      return [];
    }
    this.logger.warn(
      { path: file.path, byteOffset: file.readPosition },
      'file was truncated and no file matching the include patterns holds its rest (copytruncate without a matching rotated name?); lines written after this position before the truncation are lost',
    );
    const pending = file.flushPending();
    return pending === undefined ? [] : [pending];
  }

  private openCount(): number {
    let n = 0;
    for (const f of this.files.values()) if (f.isOpen) n++;
    return n;
  }

  private toRecord(file: TailedFile, e: LogEvent, now: number): SourceRecord {
    const headers: RecordHeader[] = [{ key: PATH_HEADER, value: file.path }];
    if (e.truncated) headers.push({ key: TRUNCATED_HEADER, value: 'true' });
    const key = this.config.key === 'path' ? file.path : this.config.key === 'file' ? file.fingerprint.id : null;
    return {
      topic: this.config.topic,
      key,
      value: this.config.output === 'line' ? e.text : { message: e.text, path: file.path, offset: e.start, line: e.firstLine },
      timestamp: now,
      headers,
      sourcePartition: file.sourcePartition,
      sourceOffset: { path: file.path, byteOffset: e.end, line: e.lastLine },
    };
  }

  private multilineOptions(): MultilineOptions | undefined {
    const m = this.config.multiline;
    if (m === undefined) return undefined;
    const source = m.startPattern ?? m.continuationPattern;
    if (source === undefined || (m.startPattern !== undefined && m.continuationPattern !== undefined)) {
      throw new TributaryError('CONFIG_INVALID', 'configuring the file source: multiline needs exactly one of startPattern and continuationPattern');
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(source);
    } catch (err) {
      throw new TributaryError('CONFIG_INVALID', `configuring the file source: multiline pattern ${JSON.stringify(source)}: ${errorMessage(err)}`, { cause: err });
    }
    return {
      pattern,
      mode: m.startPattern !== undefined ? 'start' : 'continuation',
      timeoutMs: m.timeoutMs ?? 1000,
      maxLines: m.maxLines ?? 500,
      maxBytes: this.config.maxLineBytes,
    };
  }
}
