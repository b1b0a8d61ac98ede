import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * A file's identity: a hash of its first `lines` lines, at most `maxBytes` bytes. Content, unlike a
 * path or an inode, survives every kind of rotation: a renamed file keeps it, a copy made by
 * copytruncate shares it with the original, and a truncated file that is written again gets a new
 * one. Inodes are reused by the file system, so they only serve as hints.
 *
 * Invariant: the fingerprint is a pure function of the file's bytes, so it can be recomputed at any
 * time to check that an open file still holds what was read from it. A file without `lines` complete
 * lines and shorter than `maxBytes` has no fingerprint yet (undefined): its identity is not settled,
 * so it is not read until it has one.
 */
export interface FingerprintOptions {
  maxBytes: number;
  lines: number;
}

export interface Fingerprint {
  /** Hex digest, 16 bytes of SHA-256: enough to never collide by chance, short enough for offset keys. */
  id: string;
  /** How many bytes were hashed. */
  length: number;
}

export async function fingerprintOf(handle: FileHandle, opts: FingerprintOptions, scratch: Buffer = Buffer.allocUnsafe(opts.maxBytes)): Promise<Fingerprint | undefined> {
  const { bytesRead } = await handle.read(scratch, 0, opts.maxBytes, 0);
  return fingerprintOfBytes(scratch.subarray(0, bytesRead), opts);
}

/** The fingerprint of a file whose first bytes are `head` (at most `maxBytes` of them). */
export function fingerprintOfBytes(head: Buffer, opts: FingerprintOptions): Fingerprint | undefined {
  let end = -1;
  for (let line = 0; line < opts.lines; line++) {
    end = head.indexOf(0x0a, end + 1);
    if (end < 0) break;
  }
  let length: number;
  if (end >= 0) length = end + 1;
  else if (head.length >= opts.maxBytes) length = opts.maxBytes;
  else return undefined;
  const id = createHash('sha256').update(head.subarray(0, length)).digest('hex').slice(0, 32);
  return { id, length };
}
