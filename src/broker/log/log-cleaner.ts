/**
 * Log compaction (Kafka's LogCleaner, simplified to one pass over all cleanable segments).
 *
 * Invariants, "when in doubt, keep":
 * - Only closed segments wholly below the first uncleanable offset (active segment base, or the last
 *   stable offset if lower) are touched, so open transactions' data is never rewritten.
 * - A record survives if it is the latest for its key within that range; records without a key and
 *   batches that cannot be decompressed here (snappy, lz4, zstd) are kept whole.
 * - Records of aborted transactions never count as the latest value and are dropped.
 * - Control batches are kept; so is each producer's last batch, whole, so that producer sequence state
 *   can still be rebuilt from the log.
 * - A tombstone (null value) that is the latest for its key is removed only once its segment's max
 *   timestamp is older than delete.retention.ms.
 * - A rewritten batch keeps its base offset, lastOffsetDelta and producer fields, so offsets and
 *   sequence ranges do not move.
 * - A segment is replaced atomically: write `<base>.log.cleaned`, fsync, rename to `.log.swap`, drop
 *   the old indexes, rename over `.log` (recovery completes a leftover `.swap`).
 */

import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../sdk/logger.ts';
import { fsyncDir, offsetFileName } from './file-util.ts';
import { canDecode, decodePlacedRecords, decodeRecords, encodeBatch, readBatchHeader, type BatchHeader } from './record-batch.ts';
import { CLEANED_SUFFIX, Segment, SWAP_SUFFIX } from './segment.ts';

export interface CompactionInput {
  /** Closed segments below the first uncleanable offset, in offset order. */
  segments: readonly Segment[];
  /** All segments, for the aborted-transaction index. */
  allSegments: readonly Segment[];
  /** Base offsets of each producer's last batch. */
  producerLastBatches: ReadonlySet<bigint>;
  nowMs: number;
  deleteRetentionMs: number;
  indexIntervalBytes: number;
  logger: Logger;
  /** Puts `replacement` (null: nothing) in place of `old` in the live segment list and retires `old`. */
  swap(old: Segment, replacement: Segment | null): Promise<void>;
}

export interface CompactionOutcome {
  segmentsRewritten: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsRemoved: number;
  /** Batches kept whole because their codec has no decoder here. */
  undecodableBatches: number;
  /** Some tombstones were kept because they are younger than delete.retention.ms. */
  tombstonesKept: boolean;
}

const WRITE_CHUNK = 1 << 20;

function keyOf(key: Buffer): string {
  return key.toString('latin1');
}

export async function compactSegments(input: CompactionInput): Promise<CompactionOutcome> {
  const outcome: CompactionOutcome = { segmentsRewritten: 0, bytesBefore: 0, bytesAfter: 0, recordsRemoved: 0, undecodableBatches: 0, tombstonesKept: false };
  const aborted = abortedRanges(input.allSegments);
  const isAborted = (h: BatchHeader): boolean =>
    h.isTransactional && !h.isControl && (aborted.get(h.producerId)?.some((r) => r.first <= h.baseOffset && h.baseOffset <= r.last) ?? false);

  // Pass 1: the latest offset of every key in the cleanable range.
  const latest = new Map<string, bigint>();
  for (const seg of input.segments) {
    for await (const b of seg.scanner(0, seg.size, { withBody: true }).batches()) {
      const h = b.header;
      if (h.isControl || isAborted(h)) continue;
      if (!canDecode(h)) {
        outcome.undecodableBatches++;
        continue;
      }
      for (const r of decodeRecords(b.batch as Buffer)) if (r.key !== null) latest.set(keyOf(r.key), r.offset);
    }
  }

  // Pass 2: rewrite each segment that loses anything, streaming to the new file.
  const horizon = BigInt(input.nowMs - input.deleteRetentionMs);
  for (const seg of input.segments) {
    const tombstonesRemovable = seg.maxTimestamp < horizon;
    const rewrite = new SegmentRewrite(seg, input.indexIntervalBytes);
    try {
      for await (const b of seg.scanner(0, seg.size, { withBody: true }).batches()) {
        const h = b.header;
        const batch = b.batch as Buffer;
        const keepWhole = h.isControl || !canDecode(h) || (h.producerId >= 0n && input.producerLastBatches.has(h.baseOffset));
        if (keepWhole) {
          await rewrite.keep(batch, h);
          continue;
        }
        if (isAborted(h)) {
          outcome.recordsRemoved += h.recordCount;
          await rewrite.change();
          continue;
        }
        const { records } = decodePlacedRecords(batch);
        const retained = records.filter((r) => {
          if (r.key === null) return true;
          if (latest.get(keyOf(r.key)) !== h.baseOffset + BigInt(r.offsetDelta)) return false;
          if (r.value === null) {
            if (tombstonesRemovable) return false;
            outcome.tombstonesKept = true;
          }
          return true;
        });
        if (retained.length === records.length) {
          await rewrite.keep(batch, h);
          continue;
        }
        outcome.recordsRemoved += records.length - retained.length;
        await rewrite.change();
        if (retained.length === 0) continue;
        const rebuilt = encodeBatch(retained, {
          baseOffset: h.baseOffset,
          partitionLeaderEpoch: h.partitionLeaderEpoch,
          producerId: h.producerId,
          producerEpoch: h.producerEpoch,
          baseSequence: h.baseSequence,
          transactional: h.isTransactional,
          timestampType: h.timestampType,
          compression: h.compression,
          lastOffsetDelta: h.lastOffsetDelta,
          baseTimestamp: h.baseTimestamp,
          ...(h.timestampType === 1 ? { maxTimestamp: h.maxTimestamp } : {}),
        });
        await rewrite.keep(rebuilt, readBatchHeader(rebuilt));
      }
      if (!rewrite.changed) continue;
      const before = seg.size;
      const replacement = await rewrite.commit(input);
      outcome.segmentsRewritten++;
      outcome.bytesBefore += before;
      outcome.bytesAfter += replacement?.size ?? 0;
    } finally {
      await rewrite.discard();
    }
  }

  if (outcome.undecodableBatches > 0) {
    input.logger.warn({ batches: outcome.undecodableBatches }, 'compaction kept snappy/lz4/zstd batches whole: no decoder for those codecs in this build');
  }
  if (outcome.segmentsRewritten > 0) {
    input.logger.info(
      { segments: outcome.segmentsRewritten, bytesBefore: outcome.bytesBefore, bytesAfter: outcome.bytesAfter, recordsRemoved: outcome.recordsRemoved },
      'compacted log segments',
    );
  }
  return outcome;
}

function abortedRanges(segments: readonly Segment[]): Map<bigint, Array<{ first: bigint; last: bigint }>> {
  const out = new Map<bigint, Array<{ first: bigint; last: bigint }>>();
  for (const seg of segments) {
    for (const a of seg.aborted) {
      let list = out.get(a.producerId);
      if (list === undefined) out.set(a.producerId, (list = []));
      list.push({ first: a.firstOffset, last: a.lastOffset });
    }
  }
  return out;
}

/**
 * The compacted copy of one segment. Nothing is written while every batch is kept verbatim; at the
 * first change the verbatim prefix is copied from the old file and the rest streams after it, so
 * memory stays bounded by the write chunk.
 */
class SegmentRewrite {
  changed = false;
  private readonly next: Segment;
  private fh: FileHandle | undefined;
  private prefixBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private committed = false;

  constructor(
    private readonly old: Segment,
    indexIntervalBytes: number,
  ) {
    this.next = new Segment(old.dir, old.baseOffset, indexIntervalBytes);
  }

  private get cleanedPath(): string {
    return join(this.old.dir, offsetFileName(this.old.baseOffset, CLEANED_SUFFIX));
  }

  async keep(batch: Buffer, header: BatchHeader): Promise<void> {
    this.next.trackBatch(header, this.next.size);
    if (!this.changed) {
      this.prefixBytes += batch.length;
      return;
    }
    this.pending.push(batch);
    this.pendingBytes += batch.length;
    if (this.pendingBytes >= WRITE_CHUNK) await this.flushPending();
  }

  /** Marks the segment as changed: opens the new file and copies the verbatim prefix into it. */
  async change(): Promise<void> {
    if (this.changed) return;
    this.changed = true;
    this.fh = await open(this.cleanedPath, 'w');
    for (let pos = 0; pos < this.prefixBytes; pos += WRITE_CHUNK) {
      await this.fh.write(await this.old.read(pos, Math.min(WRITE_CHUNK, this.prefixBytes - pos)));
    }
  }

  private async flushPending(): Promise<void> {
    if (this.pending.length > 0 && this.fh !== undefined) await this.fh.writev(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Puts the new file in place of the old segment (or drops the segment if nothing survived). */
  async commit(input: CompactionInput): Promise<Segment | null> {
    const old = this.old;
    await old.pin();
    await this.flushPending();
    const fh = this.fh as FileHandle;
    await fh.sync();
    await fh.close();
    this.fh = undefined;
    this.committed = true;
    if (this.next.isEmpty) {
      await rm(this.cleanedPath, { force: true });
      await input.swap(old, null);
      await old.deleteFiles();
      await fsyncDir(old.dir);
      return null;
    }
    const swap = join(old.dir, offsetFileName(old.baseOffset, SWAP_SUFFIX));
    await rename(this.cleanedPath, swap);
    await fsyncDir(old.dir);
    // From here a crash is completed by recovery: the .swap file is the segment.
    await rm(old.indexPath, { force: true });
    await rm(old.timeIndexPath, { force: true });
    await rename(swap, old.logPath);
    await fsyncDir(old.dir);
    this.next.aborted = old.aborted.slice();
    await this.next.writeIndexes();
    await input.swap(old, this.next);
    return this.next;
  }

  /** Removes an unfinished new file (after an error, or when nothing changed). */
  async discard(): Promise<void> {
    if (this.committed) return;
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    if (this.changed) await rm(this.cleanedPath, { force: true });
  }
}
