import { open, stat, type FileHandle } from 'node:fs/promises';
import { fingerprintOf, type Fingerprint, type FingerprintOptions } from './fingerprint.ts';
import { listMatches, type CompiledGlob } from './source-glob.ts';

/** A file found by a scan: where it is, which inode, how big, and whose content (if settled). */
export interface ScannedFile {
  path: string;
  dev: number;
  ino: number;
  size: number;
  /** Undefined while the file is too short to have one (see fingerprint.ts). */
  fingerprint: Fingerprint | undefined;
}

interface CacheEntry {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  fingerprint: Fingerprint | undefined;
}

/**
 * Lists the files matching the source's globs and fingerprints them. Fingerprinting opens the file,
 * so it is cached per path and redone only when the inode, size or modification time changed: a
 * folder of a thousand rotated logs costs a thousand stat calls per scan, not a thousand opens.
 */
export class FileScanner {
  private cache = new Map<string, CacheEntry>();
  private readonly scratch: Buffer;

  constructor(
    private readonly include: readonly CompiledGlob[],
    private readonly exclude: ReadonlyArray<(path: string) => boolean>,
    private readonly fingerprint: FingerprintOptions,
  ) {
    this.scratch = Buffer.allocUnsafe(fingerprint.maxBytes);
  }

  async scan(): Promise<ScannedFile[]> {
    const paths = await listMatches(this.include, this.exclude);
    const next = new Map<string, CacheEntry>();
    const out: ScannedFile[] = [];
    for (const path of paths) {
      // Files vanish between listing and stat (rotation, cleanup): skip them, the next scan is truthful.
      const st = await stat(path).catch(() => undefined);
      if (st === undefined || !st.isFile()) continue;
      const cached = this.cache.get(path);
      let fingerprint: Fingerprint | undefined;
      if (cached !== undefined && cached.dev === st.dev && cached.ino === st.ino && cached.size === st.size && cached.mtimeMs === st.mtimeMs) {
        fingerprint = cached.fingerprint;
      } else {
        fingerprint = await this.fingerprintAt(path);
      }
      next.set(path, { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, fingerprint });
      out.push({ path, dev: st.dev, ino: st.ino, size: st.size, fingerprint });
    }
    this.cache = next;
    return out;
  }

  /**
   * Opens `file` for reading if it still is what the scan saw: the same inode with the same
   * fingerprint. Between a scan and an open the path may have been rotated to another file.
   */
  async openMatching(file: ScannedFile): Promise<FileHandle | undefined> {
    const handle = await open(file.path, 'r').catch(() => undefined);
    if (handle === undefined) return undefined;
    try {
      const st = await handle.stat();
      const fingerprint = await fingerprintOf(handle, this.fingerprint, this.scratch);
      if (st.dev === file.dev && st.ino === file.ino && fingerprint !== undefined && fingerprint.id === file.fingerprint?.id) return handle;
    } catch {
      // Unreadable now: treated as changed, the next scan decides again.
    }
    await handle.close().catch(() => undefined);
    return undefined;
  }

  private async fingerprintAt(path: string): Promise<Fingerprint | undefined> {
    const handle = await open(path, 'r').catch(() => undefined);
    if (handle === undefined) return undefined;
    try {
      return await fingerprintOf(handle, this.fingerprint, this.scratch);
    } catch {
      return undefined;
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
}
