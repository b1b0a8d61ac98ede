import { Buffer } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';

/** How files are opened; injectable so tests can observe syncs on real files. */
export type OpenFile = (path: string, flags: string) => Promise<FileHandle>;

/**
 * The append-only output file of one topic-partition.
 *
 * Invariant: the file holds only whole lines. Every append ends with a newline and a put resolves only
 * after its appends (and syncs) completed, so a trailing partial line can only come from a write that
 * was interrupted and never acknowledged; `open` drops it, and the runtime delivers those records again.
 */
export class PartitionFile {
  readonly path: string;
  private readonly handle: FileHandle;
  private readonly fsync: boolean;
  /** Bytes of whole lines in the file; appends go after them. */
  private length: number;
  private closed = false;

  private constructor(path: string, handle: FileHandle, fsync: boolean, length: number) {
    this.path = path;
    this.handle = handle;
    this.fsync = fsync;
    this.length = length;
  }

  /** Opens (creating if needed) for appending, dropping a partial last line; returns the bytes dropped. */
  static async open(path: string, openFile: OpenFile, fsync: boolean): Promise<{ file: PartitionFile; dropped: number }> {
    // a+: appends always land at the end (O_APPEND), and reading the tail stays possible.
    const handle = await openFile(path, 'a+');
    try {
      const size = (await handle.stat()).size;
      const whole = await wholeLinesLength(handle, size);
      if (whole < size) {
        await handle.truncate(whole);
        if (fsync) await handle.sync();
      }
      return { file: new PartitionFile(path, handle, fsync, whole), dropped: size - whole };
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Opens (creating if needed) for appending at exactly `length` bytes: what lies beyond was written
   * after the last commit and is cut off. Returns the bytes cut. Throws when the file is shorter than
   * `length`: committed lines are missing, and resuming would silently lose them.
   */
  static async openAt(path: string, openFile: OpenFile, fsync: boolean, length: number): Promise<{ file: PartitionFile; dropped: number }> {
    const handle = await openFile(path, 'a+');
    try {
      const size = (await handle.stat()).size;
      if (size < length) throw new ShortFileError(path, size, length);
      if (size > length) {
        await handle.truncate(length);
        if (fsync) await handle.sync();
      }
      return { file: new PartitionFile(path, handle, fsync, length), dropped: size - length };
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  /** Current length in bytes; a value to hand back to `truncate` to undo later appends. */
  get size(): number {
    return this.length;
  }

  /** Appends `data` (whole lines) and, when configured, fsyncs before resolving. */
  async append(data: Buffer): Promise<void> {
    await this.handle.appendFile(data);
    this.length += data.length;
    if (this.fsync) await this.handle.sync();
  }

  /** Cuts the file back to `length` bytes, undoing appends of a batch that failed elsewhere. */
  async truncate(length: number): Promise<void> {
    await this.handle.truncate(length);
    this.length = length;
    if (this.fsync) await this.handle.sync();
  }

  /** Safe twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** A file holds fewer bytes than its manifest committed: data was lost or the file was edited. */
export class ShortFileError extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly committed: number,
  ) {
    super(`${path} holds ${size} bytes but ${committed} were committed; lines are missing (edited, or lost in an OS crash with fsync: false)`);
    this.name = 'ShortFileError';
  }
}

const TAIL_CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/** Length of the prefix of the file that ends with its last newline (0 if there is none). */
async function wholeLinesLength(handle: FileHandle, size: number): Promise<number> {
  let end = size;
  const buf = Buffer.alloc(TAIL_CHUNK);
  while (end > 0) {
    const start = Math.max(0, end - TAIL_CHUNK);
    const { bytesRead } = await handle.read(buf, 0, end - start, start);
    const at = buf.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}
