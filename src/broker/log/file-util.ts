/**
 * File helpers for the log's crash-safety rules: metadata files are replaced atomically (write a temp
 * file, fsync it, rename over, fsync the directory), so a crash leaves either the old or the new file.
 */

import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Kafka's file naming: the segment's base offset, 20 digits, zero-padded. */
export function offsetFileName(offset: bigint, suffix: string): string {
  return `${offset.toString().padStart(20, '0')}${suffix}`;
}

/** Parses `<20 digits><suffix>` back to the offset; undefined when the name does not match. */
export function parseOffsetFileName(name: string, suffix: string): bigint | undefined {
  if (!name.endsWith(suffix)) return undefined;
  const digits = name.slice(0, name.length - suffix.length);
  if (!/^\d{20}$/.test(digits)) return undefined;
  return BigInt(digits);
}

export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    // Some platforms cannot fsync a directory (EISDIR/EPERM on Windows); the rename is still atomic.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    await fh?.close();
  }
}

/** Writes `data` to `path` atomically (temp file + fsync + rename + directory fsync). */
export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await fsyncDir(dirname(path));
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true, recursive: true });
}

