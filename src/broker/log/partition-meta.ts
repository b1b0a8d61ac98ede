/**
 * Small per-partition files next to the segments:
 * - `partition.json`: { logStartOffset, recoveryPoint } (offsets as decimal strings), replaced
 *   atomically. Invariant: every byte below recoveryPoint was fsynced and CRC-checked once, so
 *   recovery only re-verifies segments from the one holding it.
 * - `.clean-shutdown`: present only between a clean close and the next open; then all index files are
 *   trusted (and still sanity-checked).
 * - `<offset>.snapshot`: producer state as of that offset (see ProducerStateManager.toSnapshot).
 */

import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, offsetFileName, parseOffsetFileName, writeFileAtomic } from './file-util.ts';

export const PARTITION_META_FILE = 'partition.json';
export const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';
export const SNAPSHOT_SUFFIX = '.snapshot';
/** Producer snapshots kept; older ones are deleted after a new one is written. */
export const SNAPSHOTS_KEPT = 2;

export interface PartitionMeta {
  logStartOffset: bigint;
  recoveryPoint: bigint;
}

export async function readPartitionMeta(dir: string): Promise<PartitionMeta> {
  try {
    const raw = JSON.parse(await readFile(join(dir, PARTITION_META_FILE), 'utf8')) as { logStartOffset?: string; recoveryPoint?: string };
    return { logStartOffset: BigInt(raw.logStartOffset ?? '0'), recoveryPoint: BigInt(raw.recoveryPoint ?? '0') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { logStartOffset: 0n, recoveryPoint: 0n };
    // A malformed file only costs a full recovery: start offsets fall back to the first segment.
    return { logStartOffset: 0n, recoveryPoint: 0n };
  }
}

export async function writePartitionMeta(dir: string, meta: PartitionMeta): Promise<void> {
  const text = JSON.stringify({ logStartOffset: meta.logStartOffset.toString(), recoveryPoint: meta.recoveryPoint.toString() });
  await writeFileAtomic(join(dir, PARTITION_META_FILE), text);
}

/** Removes the clean-shutdown marker; returns whether it was there. */
export async function takeCleanShutdownMarker(dir: string): Promise<boolean> {
  try {
    await rm(join(dir, CLEAN_SHUTDOWN_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  await fsyncDir(dir);
  return true;
}

export async function writeCleanShutdownMarker(dir: string): Promise<void> {
  await writeFile(join(dir, CLEAN_SHUTDOWN_FILE), '');
  await fsyncDir(dir);
}

/** Snapshot offsets present in `dir`, ascending. */
export async function listSnapshots(dir: string): Promise<bigint[]> {
  const out: bigint[] = [];
  for (const name of await readdir(dir)) {
    const off = parseOffsetFileName(name, SNAPSHOT_SUFFIX);
    if (off !== undefined) out.push(off);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function snapshotPath(dir: string, offset: bigint): string {
  return join(dir, offsetFileName(offset, SNAPSHOT_SUFFIX));
}

/** Writes a snapshot atomically and prunes all but the newest {@link SNAPSHOTS_KEPT}. */
export async function writeSnapshot(dir: string, offset: bigint, text: string): Promise<void> {
  await writeFileAtomic(snapshotPath(dir, offset), text);
  const all = await listSnapshots(dir);
  for (const off of all.slice(0, Math.max(0, all.length - SNAPSHOTS_KEPT))) await rm(snapshotPath(dir, off), { force: true });
}

export async function deleteSnapshotsAbove(dir: string, offset: bigint): Promise<void> {
  for (const off of await listSnapshots(dir)) if (off > offset) await rm(snapshotPath(dir, off), { force: true });
}
