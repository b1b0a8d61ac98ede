/**
 * {@link CoordinatorStore} over a JSON-lines file: one entry per line, appended and fsync'd.
 *
 * Invariants:
 * - An `append` resolves only after its line, newline included, has been written and fdatasync'd.
 *   Appends that arrive while a write is in flight are batched into the next write (group commit).
 * - All file operations run one at a time on a single lane, in call order, so an entry appended
 *   before `compact` is in the old file (and must be covered by `live`), and one appended after it
 *   lands in the new file.
 * - A line without its newline, or unparseable lines at the very end, can only come from a write that
 *   was never acknowledged (a crash mid-append). `load` drops them with a warning and truncates the
 *   file so the next append starts on a clean line. Unparseable lines followed by valid ones are real
 *   corruption and fail the load.
 * - Compaction writes a temporary file, fsyncs it, renames it over the log and fsyncs the directory,
 *   so a crash leaves either the old log or the new one, never a mix.
 * - After a failed write the store refuses further appends: the file tail is unknown until reload.
 */
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TributaryError, errorMessage } from '../../sdk/errors.ts';
import { silentLogger, type Logger } from '../../sdk/logger.ts';
import type { CoordinatorStore } from './coordinator-store.ts';

export interface FileCoordinatorStoreOptions {
  logger?: Logger;
}

interface Batch {
  text: string;
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

/** bigint has no JSON form; stores write it as a decimal string, and readers parse it back. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export class FileCoordinatorStore implements CoordinatorStore {
  private handle: FileHandle | null;
  private lane: Promise<unknown> = Promise.resolve();
  private openBatch: Batch | null = null;
  private failure: unknown = null;
  private closed = false;

  private constructor(
    readonly path: string,
    handle: FileHandle,
    private readonly logger: Logger,
  ) {
    this.handle = handle;
  }

  static async open(path: string, opts: FileCoordinatorStoreOptions = {}): Promise<FileCoordinatorStore> {
    try {
      await mkdir(dirname(path), { recursive: true });
      // A leftover temporary file is an interrupted compaction; the log itself is still whole.
      await rm(FileCoordinatorStore.tmpPath(path), { force: true });
      const handle = await open(path, 'a');
      return new FileCoordinatorStore(path, handle, opts.logger ?? silentLogger);
    } catch (err) {
      throw new TributaryError('INTERNAL', `opening coordinator store ${path}: ${errorMessage(err)}`, { cause: err, retriable: true });
    }
  }

  private static tmpPath(path: string): string {
    return `${path}.compact.tmp`;
  }

  append(entry: object): Promise<void> {
    if (this.closed) return Promise.reject(new TributaryError('INTERNAL', `appending to ${this.path}: store is closed`));
    if (this.failure !== null) {
      return Promise.reject(
        new TributaryError('INTERNAL', `appending to ${this.path}: an earlier write failed`, { cause: this.failure, retriable: true }),
      );
    }
    const line = `${JSON.stringify(entry, jsonReplacer)}\n`;
    return new Promise<void>((resolve, reject) => {
      let batch = this.openBatch;
      if (batch === null) {
        const created: Batch = { text: '', waiters: [] };
        batch = created;
        this.openBatch = created;
        void this.enqueue(async () => {
          // Close the batch as its write starts, so later appends form the next one.
          if (this.openBatch === created) this.openBatch = null;
          await this.writeBatch(created);
        }).catch(() => {
          // Waiters were rejected inside writeBatch; the lane must keep going.
        });
      }
      batch.text += line;
      batch.waiters.push({ resolve, reject });
    });
  }

  load(): Promise<object[]> {
    return this.enqueue(() => this.readAll());
  }

  compact(live: object[]): Promise<void> {
    // Appends made after this call must go to the new file, not join a batch queued before it.
    this.openBatch = null;
    return this.enqueue(() => this.rewrite(live));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.openBatch = null;
    await this.lane.catch(() => undefined);
    await this.handle?.close();
    this.handle = null;
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const result = this.lane.then(job);
    this.lane = result.catch(() => undefined);
    return result;
  }

  private async writeBatch(batch: Batch): Promise<void> {
    try {
      if (this.failure !== null) throw this.failure;
      const handle = this.requireHandle();
      await handle.write(batch.text);
      await handle.datasync();
      for (const w of batch.waiters) w.resolve();
    } catch (err) {
      this.failure ??= err;
      const wrapped = new TributaryError('INTERNAL', `appending to ${this.path}: ${errorMessage(err)}`, { cause: err, retriable: true });
      for (const w of batch.waiters) w.reject(wrapped);
      throw wrapped;
    }
  }

  private async readAll(): Promise<object[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      throw new TributaryError('INTERNAL', `reading coordinator store ${this.path}: ${errorMessage(err)}`, { cause: err, retriable: true });
    }
    const entries: object[] = [];
    let offset = 0;
    let validEnd = 0;
    let firstBad: { lineNo: number; at: number } | null = null;
    let lineNo = 0;
    while (offset < text.length) {
      lineNo += 1;
      const nl = text.indexOf('\n', offset);
      const terminated = nl !== -1;
      const end = terminated ? nl : text.length;
      const raw = text.slice(offset, end);
      const parsed = terminated ? parseLine(raw) : undefined;
      if (parsed === undefined) {
        firstBad ??= { lineNo, at: offset };
      } else if (firstBad !== null) {
        throw new TributaryError('INTERNAL', `reading coordinator store ${this.path}: line ${firstBad.lineNo} is corrupt`, {
          details: { path: this.path, line: firstBad.lineNo },
        });
      } else {
        entries.push(parsed);
        validEnd = end + 1;
      }
      offset = end + 1;
    }
    if (firstBad !== null) {
      const byteEnd = Buffer.byteLength(text.slice(0, validEnd), 'utf8');
      this.logger.warn(
        { path: this.path, line: firstBad.lineNo, droppedBytes: Buffer.byteLength(text, 'utf8') - byteEnd },
        'coordinator store ends with a torn write; dropping it',
      );
      await this.requireHandle().truncate(byteEnd);
      await this.requireHandle().datasync();
    }
    return entries;
  }

  private async rewrite(live: object[]): Promise<void> {
    const tmp = FileCoordinatorStore.tmpPath(this.path);
    const text = live.map((e) => `${JSON.stringify(e, jsonReplacer)}\n`).join('');
    try {
      const out = await open(tmp, 'w');
      try {
        await out.write(text);
        await out.sync();
      } finally {
        await out.close();
      }
      await rename(tmp, this.path);
      await syncDirectory(dirname(this.path));
      const old = this.handle;
      this.handle = await open(this.path, 'a');
      await old?.close();
    } catch (err) {
      throw new TributaryError('INTERNAL', `compacting coordinator store ${this.path}: ${errorMessage(err)}`, { cause: err, retriable: true });
    }
  }

  private requireHandle(): FileHandle {
    if (this.handle === null) throw new TributaryError('INTERNAL', `using coordinator store ${this.path}: store is closed`);
    return this.handle;
  }
}

function parseLine(raw: string): object | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Makes the rename durable. Some platforms (Windows) cannot open a directory; there it is skipped. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (err) {
    if (isErrno(err, 'EISDIR') || isErrno(err, 'EPERM') || isErrno(err, 'EACCES')) return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    if (!isErrno(err, 'EINVAL') && !isErrno(err, 'EPERM')) throw err;
  } finally {
    await handle.close();
  }
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
