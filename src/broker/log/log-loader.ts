/**
 * Opens a partition directory after a clean or unclean stop (Kafka's LogLoader):
 * 1. finishes or discards interrupted file operations (compaction swaps, temp files);
 * 2. loads closed segments from their indexes when trusted, and re-verifies (CRC) every segment from
 *    the recovery point on, truncating a torn or garbage tail with a warning (later segments, which
 *    would follow a hole, are deleted);
 * 3. rebuilds producer state and the aborted-transaction index from the newest usable producer
 *    snapshot plus a replay of the batches after it.
 */

import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../sdk/logger.ts';
import { fsyncDir, offsetFileName, parseOffsetFileName } from './file-util.ts';
import {
  deleteSnapshotsAbove,
  listSnapshots,
  readPartitionMeta,
  snapshotPath,
  takeCleanShutdownMarker,
} from './partition-meta.ts';
import { ProducerStateManager } from './producer-state.ts';
import { lastOffsetOf, readControlType } from './record-batch.ts';
import { CLEANED_SUFFIX, INDEX_SUFFIX, LOG_SUFFIX, Segment, SWAP_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX } from './segment.ts';

export interface LoadedLog {
  segments: Segment[];
  logStartOffset: bigint;
  recoveryPoint: bigint;
  producers: ProducerStateManager;
}

export async function loadLog(dir: string, indexIntervalBytes: number, logger: Logger): Promise<LoadedLog> {
  await mkdir(dir, { recursive: true });
  await finishInterruptedOperations(dir, logger);
  const meta = await readPartitionMeta(dir);
  const clean = await takeCleanShutdownMarker(dir);

  const bases: bigint[] = [];
  for (const name of await readdir(dir)) {
    const base = parseOffsetFileName(name, LOG_SUFFIX);
    if (base !== undefined) bases.push(base);
  }
  bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  // Segments from this base on are re-verified; before it they are trusted (clean stop: none).
  let recoverFrom: bigint | undefined;
  if (!clean) {
    recoverFrom = bases[0];
    for (const b of bases) if (b <= meta.recoveryPoint) recoverFrom = b;
  }

  const segments: Segment[] = [];
  for (let i = 0; i < bases.length; i++) {
    const seg = new Segment(dir, bases[i] as bigint, indexIntervalBytes);
    const fileSize = await seg.fileSize();
    await seg.loadTxnIndex();
    const trusted = recoverFrom === undefined || seg.baseOffset < recoverFrom;
    let truncated = false;
    if (!(trusted && (await seg.loadIndexes(fileSize)) && (await seg.restoreFromIndexes(fileSize)))) {
      truncated = await recoverSegment(seg, fileSize, logger);
    }
    segments.push(seg);
    if (truncated && i < bases.length - 1) {
      logger.warn({ dir, segment: seg.baseOffset.toString(), dropped: bases.length - 1 - i }, 'recovering log: deleting segments after a truncated one');
      for (const later of bases.slice(i + 1)) {
        const s = new Segment(dir, later, indexIntervalBytes);
        await s.deleteFiles();
      }
      break;
    }
  }

  // Empty segments in the middle carry no data (a crash between roll and first append); drop them.
  const kept: Segment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as Segment;
    if (seg.isEmpty && i < segments.length - 1) {
      await seg.deleteFiles();
      continue;
    }
    kept.push(seg);
  }

  if (kept.length === 0) {
    kept.push(await Segment.create(dir, meta.logStartOffset, indexIntervalBytes));
    await fsyncDir(dir);
  }
  const first = kept[0] as Segment;
  const active = kept[kept.length - 1] as Segment;
  const logEndOffset = active.nextOffset;
  let logStartOffset = meta.logStartOffset > first.baseOffset ? meta.logStartOffset : first.baseOffset;
  if (logStartOffset > logEndOffset) logStartOffset = logEndOffset;

  const producers = await rebuildProducerState(dir, kept, logEndOffset, logger);
  return { segments: kept, logStartOffset, recoveryPoint: logEndOffset, producers };
}

async function finishInterruptedOperations(dir: string, logger: Logger): Promise<void> {
  let changed = false;
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if (name.endsWith('.tmp') || name.endsWith(CLEANED_SUFFIX) || name.endsWith('.deleted')) {
      await rm(path, { force: true, recursive: true });
      changed = true;
      continue;
    }
    // A .swap file is a complete, fsynced replacement: its indexes go first (they describe the old
    // file), then it takes the segment's name. Indexes are rebuilt by the scan below.
    const swapped = parseOffsetFileName(name, SWAP_SUFFIX);
    if (swapped !== undefined) {
      logger.info({ dir, segment: swapped.toString() }, 'recovering log: completing an interrupted compaction swap');
      await rm(join(dir, offsetFileName(swapped, INDEX_SUFFIX)), { force: true });
      await rm(join(dir, offsetFileName(swapped, TIME_INDEX_SUFFIX)), { force: true });
      await rename(path, join(dir, offsetFileName(swapped, LOG_SUFFIX)));
      changed = true;
    }
  }
  // Index files whose segment is gone (a crash in the middle of a retention delete).
  const names = new Set(await readdir(dir));
  for (const name of names) {
    for (const suffix of [INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX]) {
      const base = parseOffsetFileName(name, suffix);
      if (base !== undefined && !names.has(offsetFileName(base, LOG_SUFFIX))) {
        await rm(join(dir, name), { force: true });
        changed = true;
      }
    }
  }
  if (changed) await fsyncDir(dir);
}

/**
 * Full scan with CRC checks, rebuilding the in-memory indexes. Cuts the file at the first batch that
 * is torn, fails its CRC, or goes backwards in offsets. Returns whether it cut.
 */
async function recoverSegment(seg: Segment, fileSize: number, logger: Logger): Promise<boolean> {
  seg.resetForRebuild();
  const scan = seg.rawScanner(0, fileSize, { withBody: true, verifyCrc: true });
  let invalid: string | undefined;
  for await (const b of scan.batches()) {
    if (b.header.baseOffset < seg.nextOffset || lastOffsetOf(b.header) < b.header.baseOffset) {
      invalid = `batch at position ${b.position} has offset ${b.header.baseOffset}, expected at least ${seg.nextOffset}`;
      break;
    }
    seg.trackBatch(b.header, b.position);
  }
  invalid ??= scan.result().invalidReason;
  if (seg.size < fileSize) {
    logger.warn(
      { segment: seg.logPath, validBytes: seg.size, fileBytes: fileSize, reason: invalid ?? 'trailing bytes' },
      'recovering log: truncating a torn or corrupt tail',
    );
    await seg.truncateFile(seg.size);
    return true;
  }
  return false;
}

async function rebuildProducerState(dir: string, segments: Segment[], logEndOffset: bigint, logger: Logger): Promise<ProducerStateManager> {
  const producers = new ProducerStateManager();
  await deleteSnapshotsAbove(dir, logEndOffset);
  const first = segments[0] as Segment;
  let replayFrom = first.baseOffset;
  const snaps = await listSnapshots(dir);
  for (let i = snaps.length - 1; i >= 0; i--) {
    const off = snaps[i] as bigint;
    if (off < first.baseOffset) break;
    try {
      replayFrom = producers.loadSnapshot(await readFile(snapshotPath(dir, off), 'utf8'));
      break;
    } catch (err) {
      logger.warn({ dir, snapshot: off.toString(), err: (err as Error).message }, 'recovering log: ignoring an unreadable producer snapshot');
      producers.clear();
    }
  }

  // Aborted-transaction entries at or after the replay point are re-derived by the replay.
  const dirty = new Set<Segment>();
  for (const seg of segments) {
    const keep = seg.aborted.filter((a) => a.lastOffset < replayFrom);
    if (keep.length !== seg.aborted.length) {
      seg.aborted = keep;
      dirty.add(seg);
    }
  }

  const update = producers.begin();
  for (const seg of segments) {
    if (seg.nextOffset <= replayFrom) continue;
    const start = replayFrom > seg.baseOffset ? seg.offsetIndex.lookup(Number(replayFrom - seg.baseOffset)) : 0;
    for await (const b of seg.scanner(start, seg.size, { withBody: false }).batches()) {
      const h = b.header;
      if (h.baseOffset < replayFrom || h.producerId < 0n) continue;
      if (h.isControl) {
        const control = readControlType(await seg.read(b.position, h.sizeInBytes));
        if (control === null) continue;
        const done = update.appendMarker(
          { producerId: h.producerId, producerEpoch: h.producerEpoch, coordinatorEpoch: control.coordinatorEpoch, commit: control.type === 'commit', offset: h.baseOffset, timestamp: h.maxTimestamp },
          false,
        );
        if (done.aborted) {
          seg.aborted.push({ producerId: done.producerId, firstOffset: done.firstOffset, lastOffset: done.lastOffset, lastStableOffset: update.firstUnstableOffset() ?? done.lastOffset + 1n });
          dirty.add(seg);
        }
      } else {
        update.appendData(h, h.baseOffset, lastOffsetOf(h), false);
      }
    }
  }
  update.commit();
  for (const seg of dirty) await seg.writeTxnIndex();
  logger.debug({ dir, replayFrom: replayFrom.toString(), producers: producers.size }, 'recovering log: producer state rebuilt');
  return producers;
}
