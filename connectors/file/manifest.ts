import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopicPartition } from '../../src/sdk/index.ts';
import type { OpenFile } from './partition-file.ts';

/**
 * What one input topic-partition has durably committed to the directory: the length of every output
 * file its records went to, and the Kafka offset to resume reading at.
 *
 * Invariant: bytes of a listed file beyond its length were written after the last commit and belong
 * to records at or after `nextOffset`; truncating them and reading from `nextOffset` loses and
 * repeats nothing.
 */
export interface Manifest {
  version: 1;
  /** Consumer group that owns the directory; another group must not resume from these positions. */
  group: string;
  topic: string;
  partition: number;
  /** Next Kafka offset to read, decimal string; null when no batch was committed yet (Kafka's committed offset applies). */
  nextOffset: string | null;
  /** Committed length in bytes per output file name (relative to the directory). */
  files: Record<string, number>;
}

/** `.<topic>-<partition>.manifest.json`: hidden, and never ending in `.jsonl`, so readers of the data files skip it. */
export function manifestName(tp: TopicPartition): string {
  return `.${tp.topic}-${tp.partition}.manifest.json`;
}

const TEMP_SUFFIX = '.tmp';

/** Reads the manifest of `tp`, or undefined when there is none. Throws on unreadable or malformed content. */
export async function readManifest(directory: string, tp: TopicPartition): Promise<Manifest | undefined> {
  const path = join(directory, manifestName(tp));
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return parseManifest(text, path);
}

export function parseManifest(text: string, path: string): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const m = parsed as Partial<Manifest> | null;
  const validFiles =
    typeof m?.files === 'object' &&
    m.files !== null &&
    Object.values(m.files).every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
  if (
    m === null ||
    m.version !== 1 ||
    typeof m.group !== 'string' ||
    typeof m.topic !== 'string' ||
    !Number.isSafeInteger(m.partition) ||
    !(m.nextOffset === null || (typeof m.nextOffset === 'string' && /^\d+$/.test(m.nextOffset))) ||
    !validFiles
  ) {
    throw new Error(`${path} is not a version 1 file sink manifest`);
  }
  return m as Manifest;
}

/**
 * Replaces the manifest of `manifest.topic`/`partition` atomically: the new content goes to a temp
 * file, which is fsynced (with `fsync`) and renamed over the old manifest. A crash leaves either the
 * old or the new manifest, never a mix. The caller fsyncs the directory to make the rename durable
 * (once for all manifests of a batch).
 */
export async function writeManifest(directory: string, manifest: Manifest, openFile: OpenFile, fsync: boolean): Promise<void> {
  const path = join(directory, manifestName(manifest));
  const temp = path + TEMP_SUFFIX;
  const handle = await openFile(temp, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(manifest)}\n`, 'utf8');
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/** Removes a temp manifest an interrupted write left behind (it was never renamed, so it never counted). */
export async function removeTempManifest(directory: string, tp: TopicPartition): Promise<void> {
  await rm(join(directory, manifestName(tp) + TEMP_SUFFIX), { force: true });
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === 'ENOENT';
}
