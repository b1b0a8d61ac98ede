/**
 * One partition's log (Kafka's UnifiedLog on a single node): ordered segments, producer state
 * (idempotence, open transactions) and the aborted-transaction index.
 *
 * Concurrency contract:
 * - append(), writeControlMarker(), flush() and segment-list changes serialize on `appendLock`.
 * - applyRetention(), compact() and deleteRecords() serialize on `maintLock` and take `appendLock`
 *   only for the short step that changes the segment list (lock order: maint, then append).
 * - read() and offsetForTimestamp() take no lock. They capture the segment list, the log end offset
 *   and each segment's committed size in one synchronous step, so they never see a partially written
 *   batch nor a segment file that was replaced under them.
 * - On a single node the high watermark equals the log end offset.
 */

import type { Clock } from '../../sdk/clock.ts';
import type { Logger } from '../../sdk/logger.ts';
import {
  CORRUPT_MESSAGE,
  INVALID_CONFIG,
  INVALID_RECORD,
  KAFKA_STORAGE_ERROR,
  LogError,
  MESSAGE_TOO_LARGE,
  OFFSET_OUT_OF_RANGE,
  UNKNOWN_TOPIC_OR_PARTITION,
} from './errors.ts';
import { fsyncDir } from './file-util.ts';
import { compactSegments } from './log-cleaner.ts';
import { loadLog } from './log-loader.ts';
import { writeCleanShutdownMarker, writePartitionMeta, writeSnapshot } from './partition-meta.ts';
import { ProducerStateManager } from './producer-state.ts';
import {
  buildControlBatch,
  canDecode,
  checkRecordFraming,
  decodeRecords,
  HEADER_SIZE,
  lastOffsetOf,
  readBatchHeader,
  readBatchHeaderOnly,
  setBaseOffset,
  setLogAppendTime,
  verifyBatchCrc,
  type BatchHeader,
} from './record-batch.ts';
import { MAX_RELATIVE_OFFSET, Segment } from './segment.ts';
import { Mutex } from './mutex.ts';

export interface LogConfig {
  segmentBytes: number;
  /** -1 = forever. */
  retentionMs: number;
  /** -1 = unbounded. */
  retentionBytes: number;
  cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
  fsync: 'always' | 'interval' | 'never';
  fsyncIntervalMs: number;
  maxMessageBytes: number;
  indexIntervalBytes: number;
  /** Roll the active segment once its first append is this old (Kafka segment.ms); unset = never. */
  segmentMs?: number;
  /** How long compaction keeps a tombstone (Kafka delete.retention.ms); default 1 day. */
  deleteRetentionMs?: number;
  /** Kafka message.timestamp.type; LogAppendTime overwrites batch timestamps with the clock. */
  messageTimestampType?: 'CreateTime' | 'LogAppendTime';
  /** Idle producers' state is dropped after this long (Kafka producer.id.expiration.ms); default 1 day. */
  producerIdExpirationMs?: number;
}

export interface AppendResult {
  baseOffset: bigint;
  lastOffset: bigint;
  /** -1n: CreateTime. */
  logAppendTime: bigint;
  logStartOffset: bigint;
  duplicate: boolean;
}

export interface ReadResult {
  /** Whole batches concatenated. */
  records: Buffer;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: Array<{ producerId: bigint; firstOffset: bigint }>;
}

export type IsolationLevel = 'read_uncommitted' | 'read_committed';

export interface ReadOptions {
  /**
   * Return the first batch even if it is larger than maxBytes (KIP-74). Default true; a Fetch handler
   * passes false for all but the first non-empty partition of a response.
   */
  minOneMessage?: boolean;
}

export interface LogDeps {
  clock: Clock;
  logger: Logger;
}

/** ListOffsets special timestamps. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;
export const MAX_TIMESTAMP = -3n;
export const EARLIEST_LOCAL_TIMESTAMP = -4n;

const DAY_MS = 86_400_000;

export class PartitionLog {
  private readonly appendLock = new Mutex();
  private readonly maintLock = new Mutex();
  private segments: Segment[];
  private startOffset: bigint;
  private endOffset: bigint;
  private recoveryPoint: bigint;
  private lastFlushMs: number;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** firstUncleanable offset of the last compaction pass; with no tombstones pending, a pass with the
   * same bound would find nothing new. */
  private cleanedUpTo = -1n;
  private tombstonesPending = false;

  private constructor(
    readonly dir: string,
    private config: LogConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
    loaded: { segments: Segment[]; logStartOffset: bigint; recoveryPoint: bigint; producers: ProducerStateManager },
    private readonly producers: ProducerStateManager = loaded.producers,
  ) {
    this.segments = loaded.segments;
    this.startOffset = loaded.logStartOffset;
    this.endOffset = (loaded.segments[loaded.segments.length - 1] as Segment).nextOffset;
    this.recoveryPoint = loaded.recoveryPoint;
    this.lastFlushMs = clock.now();
  }

  /**
   * Opens (creating if needed) the log in `dir`, recovering from an unclean stop: the tail of the log
   * is CRC-checked from the recovery point, a torn tail is truncated with a warning, and producer and
   * transaction state are rebuilt from the newest snapshot plus the batches after it.
   */
  static async open(dir: string, config: LogConfig, deps: LogDeps): Promise<PartitionLog> {
    PartitionLog.checkConfig(config);
    const logger = deps.logger.child({ log: dir });
    const loaded = await loadLog(dir, config.indexIntervalBytes, logger);
    const log = new PartitionLog(dir, config, deps.clock, logger, loaded);
    logger.debug(
      { logStartOffset: log.startOffset.toString(), logEndOffset: log.endOffset.toString(), segments: log.segments.length },
      'opened partition log',
    );
    return log;
  }

  /** Throws LogError INVALID_CONFIG when `config` is unusable. */
  static checkConfig(config: LogConfig): void {
    validateConfig(config);
  }

  get logStartOffset(): bigint {
    return this.startOffset;
  }

  /** Equal to the high watermark on a single node. */
  get logEndOffset(): bigint {
    return this.endOffset;
  }

  /** First offset of the earliest open transaction, else the log end offset. */
  get lastStableOffset(): bigint {
    return this.producers.firstUnstableOffset() ?? this.endOffset;
  }

  /** Bytes held by all segments. */
  get sizeInBytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  get logConfig(): Readonly<LogConfig> {
    return this.config;
  }

  /** Applies changed topic configs (AlterConfigs); takes effect for the next append or maintenance. */
  updateConfig(config: LogConfig): void {
    PartitionLog.checkConfig(config);
    this.config = config;
  }

  // -------------------------------------------------------------------------------------------------
  // Append

  /**
   * Appends whole batches atomically (all or none) and resolves after the write, and the fsync when
   * config.fsync is 'always'. With assignOffsets (the default, client produce) offsets are assigned
   * from the log end and producer sequence/epoch rules apply; without it batches keep their offsets,
   * which must not go backwards.
   */
  append(batches: Buffer[], opts: { assignOffsets?: boolean } = {}): Promise<AppendResult> {
    const assign = opts.assignOffsets ?? true;
    return this.appendLock.run(() => this.appendLocked(batches, assign));
  }

  private async appendLocked(batches: Buffer[], assign: boolean): Promise<AppendResult> {
    this.ensureOpen();
    if (batches.length === 0) throw new LogError(INVALID_RECORD, 'appending: no record batches');
    const headers = batches.map((b, i) => this.validateBatch(b, i, assign));

    const update = this.producers.begin();
    const placed: Array<{ header: BatchHeader; base: bigint }> = [];
    let cursor = this.endOffset;
    for (const h of headers) {
      if (!assign && h.baseOffset < cursor) {
        throw new LogError(INVALID_RECORD, `appending: batch offset ${h.baseOffset} is below the log end offset ${cursor}`);
      }
      const base = assign ? cursor : h.baseOffset;
      const last = base + BigInt(h.lastOffsetDelta);
      if (h.producerId >= 0n) {
        if (assign) {
          const dup = update.findDuplicate(h);
          if (dup !== undefined) {
            this.logger.debug({ producerId: h.producerId.toString(), firstSeq: dup.firstSeq, baseOffset: dup.firstOffset.toString() }, 'duplicate batch from an idempotent producer, not written again');
            return { baseOffset: dup.firstOffset, lastOffset: dup.lastOffset, logAppendTime: -1n, logStartOffset: this.startOffset, duplicate: true };
          }
        }
        update.appendData(h, base, last, assign);
      }
      placed.push({ header: h, base });
      cursor = last + 1n;
    }

    // One buffer, one write: the caller's buffers stay untouched and the batches land together.
    const total = headers.reduce((n, h) => n + h.sizeInBytes, 0);
    const data = Buffer.allocUnsafe(total);
    const logAppendTime = this.config.messageTimestampType === 'LogAppendTime' ? BigInt(this.clock.now()) : -1n;
    let pos = 0;
    for (let i = 0; i < batches.length; i++) {
      const src = batches[i] as Buffer;
      const { base } = placed[i] as { base: bigint };
      src.copy(data, pos);
      const view = data.subarray(pos, pos + src.length);
      setBaseOffset(view, base);
      if (logAppendTime >= 0n) setLogAppendTime(view, logAppendTime);
      pos += src.length;
    }

    await this.maybeRoll(total, cursor);
    const seg = this.activeSegment();
    const startPos = seg.size;
    await this.writeToSegment(seg, data);
    pos = startPos;
    for (const { header, base } of placed) {
      seg.trackBatch({ ...header, baseOffset: base, maxTimestamp: logAppendTime >= 0n ? logAppendTime : header.maxTimestamp }, pos);
      pos += header.sizeInBytes;
    }
    seg.firstAppendMs ??= this.clock.now();
    update.commit();
    this.endOffset = cursor;
    return { baseOffset: (placed[0] as { base: bigint }).base, lastOffset: cursor - 1n, logAppendTime, logStartOffset: this.startOffset, duplicate: false };
  }

  private validateBatch(batch: Buffer, index: number, assign: boolean): BatchHeader {
    let h: BatchHeader;
    try {
      h = readBatchHeader(batch);
    } catch (err) {
      if (err instanceof LogError) throw err;
      throw new LogError(CORRUPT_MESSAGE, `appending: batch ${index} is unreadable`, { cause: err });
    }
    if (h.sizeInBytes !== batch.length) {
      throw new LogError(CORRUPT_MESSAGE, `appending: batch ${index} is ${batch.length} bytes but declares ${h.sizeInBytes}`);
    }
    if (h.sizeInBytes > this.config.maxMessageBytes) {
      throw new LogError(MESSAGE_TOO_LARGE, `appending: batch of ${h.sizeInBytes} bytes exceeds max.message.bytes ${this.config.maxMessageBytes}`);
    }
    if (!verifyBatchCrc(batch)) throw new LogError(CORRUPT_MESSAGE, `appending: batch ${index} fails its CRC check`);
    if (!checkRecordFraming(batch, h)) throw new LogError(CORRUPT_MESSAGE, `appending: batch ${index} records do not fill the batch`);
    if (h.lastOffsetDelta < 0) throw new LogError(INVALID_RECORD, `appending: batch ${index} has lastOffsetDelta ${h.lastOffsetDelta}`);
    if (h.isTransactional && h.producerId < 0n) throw new LogError(INVALID_RECORD, `appending: transactional batch ${index} has no producer id`);
    if (assign) {
      if (h.isControl) throw new LogError(INVALID_RECORD, 'appending: clients may not write control batches');
      if (h.recordCount < 1 || h.lastOffsetDelta !== h.recordCount - 1) {
        throw new LogError(INVALID_RECORD, `appending: batch ${index} has ${h.recordCount} records but lastOffsetDelta ${h.lastOffsetDelta}`);
      }
      if (this.config.cleanupPolicy !== 'delete' && canDecode(h)) {
        for (const r of decodeRecords(batch)) {
          if (r.key === null) throw new LogError(INVALID_RECORD, 'appending: a compacted topic requires a key on every record');
        }
      }
    }
    return h;
  }

  private async writeToSegment(seg: Segment, data: Buffer): Promise<void> {
    try {
      await seg.write(data);
      if (this.config.fsync === 'always') await seg.sync();
    } catch (err) {
      // Nothing past the committed size was acknowledged; cut it so a restart cannot resurrect it.
      await seg.truncateFile(seg.size).catch(() => undefined);
      throw new LogError(KAFKA_STORAGE_ERROR, `appending to ${seg.logPath}: ${(err as Error).message}`, { cause: err });
    }
  }

  private activeSegment(): Segment {
    return this.segments[this.segments.length - 1] as Segment;
  }

  /** Rolls before an append of `bytes` that would end at `nextOffset`, when the active segment is full. */
  private async maybeRoll(bytes: number, nextOffset: bigint): Promise<void> {
    const seg = this.activeSegment();
    if (seg.isEmpty) return;
    const full = seg.size + bytes > this.config.segmentBytes;
    const offsetsOverflow = nextOffset - 1n - seg.baseOffset > MAX_RELATIVE_OFFSET;
    const segmentMs = this.config.segmentMs;
    const old = segmentMs !== undefined && seg.firstAppendMs !== undefined && this.clock.now() - seg.firstAppendMs >= segmentMs;
    if (full || offsetsOverflow || old) await this.roll();
  }

  /**
   * Closes the active segment (fsync, persist its indexes) and starts a new one at the log end. Also
   * moves the recovery point and writes a producer snapshot there. Caller holds appendLock.
   */
  private async roll(): Promise<void> {
    const old = this.activeSegment();
    await old.sync();
    await old.writeIndexes();
    const seg = await Segment.create(this.dir, this.endOffset, this.config.indexIntervalBytes);
    this.segments = [...this.segments, seg];
    await fsyncDir(this.dir);
    this.recoveryPoint = this.endOffset;
    await this.persistMeta();
    await writeSnapshot(this.dir, this.endOffset, this.producers.toSnapshot(this.endOffset));
    this.logger.debug({ baseOffset: seg.baseOffset.toString(), closedBytes: old.size }, 'rolled log segment');
  }

  private persistMeta(): Promise<void> {
    return writePartitionMeta(this.dir, { logStartOffset: this.startOffset, recoveryPoint: this.recoveryPoint });
  }

  // -------------------------------------------------------------------------------------------------
  // Transactions

  /**
   * Appends a transaction marker for `producerId`, closing its open transaction. An abort is recorded
   * in the aborted-transaction index so read_committed fetches can skip the aborted records.
   * Returns the marker's offset.
   */
  writeControlMarker(o: { producerId: bigint; producerEpoch: number; commit: boolean; coordinatorEpoch: number }): Promise<bigint> {
    return this.appendLock.run(async () => {
      this.ensureOpen();
      const timestamp = BigInt(this.clock.now());
      const batch = buildControlBatch({ ...o, timestamp });
      const offset = this.endOffset;
      setBaseOffset(batch, offset);
      const update = this.producers.begin();
      const done = update.appendMarker({ ...o, offset, timestamp }, true);
      await this.maybeRoll(batch.length, offset + 1n);
      const seg = this.activeSegment();
      const pos = seg.size;
      await this.writeToSegment(seg, batch);
      seg.trackBatch(readBatchHeader(batch), pos);
      seg.firstAppendMs ??= this.clock.now();
      update.commit();
      this.endOffset = offset + 1n;
      if (done.aborted) {
        const entry = { producerId: done.producerId, firstOffset: done.firstOffset, lastOffset: done.lastOffset, lastStableOffset: this.lastStableOffset };
        try {
          await seg.appendAbortedTxn(entry, this.config.fsync === 'always');
        } catch (err) {
          // The entry is in memory and rewritten with the segment's indexes at roll or close.
          this.logger.warn({ err: (err as Error).message }, 'appending to the aborted-transaction index failed');
        }
      }
      return offset;
    });
  }

  ongoingTransactions(): Array<{ producerId: bigint; producerEpoch: number; firstOffset: bigint }> {
    return this.producers.ongoing();
  }

  producerEpoch(producerId: bigint): number | undefined {
    return this.producers.get(producerId)?.epoch;
  }

  // -------------------------------------------------------------------------------------------------
  // Reads

  /**
   * Returns whole batches holding offsets >= fromOffset (the first may start earlier), at least one
   * batch even when larger than maxBytes (KIP-74, unless opts.minOneMessage is false), nothing at or
   * past the high watermark (read_committed: the last stable offset). For read_committed,
   * abortedTransactions lists the aborted transactions overlapping the returned range.
   */
  async read(fromOffset: bigint, maxBytes: number, isolation: IsolationLevel, opts: ReadOptions = {}): Promise<ReadResult> {
    this.ensureOpen();
    try {
      return await this.readUnlocked(fromOffset, maxBytes, isolation, opts.minOneMessage ?? true);
    } catch (err) {
      if (err instanceof LogError) throw err;
      // A file error: the topic was deleted under the read (closed), or the disk failed.
      if (this.closed) throw new LogError(UNKNOWN_TOPIC_OR_PARTITION, `reading ${this.dir}: log closed during the read`, { cause: err });
      throw new LogError(KAFKA_STORAGE_ERROR, `reading ${this.dir}: ${(err as Error).message}`, { cause: err });
    }
  }

  private async readUnlocked(fromOffset: bigint, maxBytes: number, isolation: IsolationLevel, minOneMessage: boolean): Promise<ReadResult> {
    // Captured together, synchronously: a consistent view of the log for the whole read.
    const segs = this.segments;
    const leo = this.endOffset;
    const lso = this.lastStableOffset;
    const start = this.startOffset;
    if (fromOffset < start || fromOffset > leo) {
      throw new LogError(OFFSET_OUT_OF_RANGE, `reading: offset ${fromOffset} is outside [${start}, ${leo}]`);
    }
    const result: ReadResult = { records: Buffer.alloc(0), highWatermark: leo, lastStableOffset: lso, logStartOffset: start, abortedTransactions: [] };
    const bound = isolation === 'read_committed' ? lso : leo;
    if (fromOffset >= bound) return result;
    const first = segmentIndexFor(segs, fromOffset);
    const held = segs.slice(first);
    const sizes = held.map((s) => s.size);
    for (const s of held) s.acquire();
    try {
      const parts: Buffer[] = [];
      let total = 0;
      let upper = fromOffset;
      let done = false;
      for (let k = 0; k < held.length && !done; k++) {
        const seg = held[k] as Segment;
        const end = sizes[k] as number;
        const startPos = fromOffset > seg.baseOffset ? seg.offsetIndex.lookup(Number(fromOffset - seg.baseOffset)) : 0;
        let rangeStart = -1;
        let rangeEnd = -1;
        for await (const b of seg.scanner(startPos, end, { withBody: false, chunkSize: 64 * 1024 }).batches()) {
          const h = b.header;
          const last = lastOffsetOf(h);
          if (last < fromOffset) continue;
          if (h.baseOffset >= bound || ((total > 0 || !minOneMessage) && total + h.sizeInBytes > maxBytes)) {
            done = true;
            break;
          }
          if (rangeStart < 0) rangeStart = b.position;
          rangeEnd = b.position + h.sizeInBytes;
          total += h.sizeInBytes;
          upper = last + 1n;
          if (total >= maxBytes) {
            done = true;
            break;
          }
        }
        if (rangeStart >= 0) parts.push(await seg.read(rangeStart, rangeEnd - rangeStart));
      }
      result.records = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
      if (isolation === 'read_committed' && total > 0) result.abortedTransactions = collectAborted(held, fromOffset, upper);
    } finally {
      for (const s of held) s.release();
    }
    return result;
  }

  /**
   * ListOffsets: -1 latest (LEO, or LSO for read_committed), -2/-4 earliest, -3 the record with the
   * max timestamp; else the first offset whose timestamp >= `timestamp`, or null if none.
   */
  async offsetForTimestamp(timestamp: bigint, isolation: IsolationLevel): Promise<{ offset: bigint; timestamp: bigint } | null> {
    this.ensureOpen();
    const segs = this.segments;
    const bound = isolation === 'read_committed' ? this.lastStableOffset : this.endOffset;
    const start = this.startOffset;
    if (timestamp === LATEST_TIMESTAMP) return { offset: bound, timestamp: -1n };
    if (timestamp === EARLIEST_TIMESTAMP || timestamp === EARLIEST_LOCAL_TIMESTAMP) return { offset: start, timestamp: -1n };
    const sizes = segs.map((s) => s.size);
    for (const s of segs) s.acquire();
    try {
      if (timestamp === MAX_TIMESTAMP) return await this.maxTimestampOffset(segs, bound, start);
      if (timestamp < 0n) return null;
      for (let k = 0; k < segs.length; k++) {
        const seg = segs[k] as Segment;
        if (seg.nextOffset <= start || seg.maxTimestamp < timestamp) continue;
        if (seg.baseOffset >= bound) return null;
        const from = seg.timeIndex.lookup(timestamp);
        for await (const b of seg.scanner(from, sizes[k] as number, { withBody: true, chunkSize: 64 * 1024 }).batches()) {
          const h = b.header;
          if (h.baseOffset >= bound) return null;
          if (lastOffsetOf(h) < start || h.maxTimestamp < timestamp || h.isControl) continue;
          const found = findTimestampInBatch(b.batch as Buffer, h, timestamp, start);
          if (found !== null) return found;
        }
      }
      return null;
    } finally {
      for (const s of segs) s.release();
    }
  }

  private async maxTimestampOffset(segs: Segment[], bound: bigint, start: bigint): Promise<{ offset: bigint; timestamp: bigint } | null> {
    let best: Segment | undefined;
    for (const s of segs) {
      if (s.isEmpty || s.nextOffset <= start) continue;
      if (best === undefined || s.maxTimestamp > best.maxTimestamp) best = s;
    }
    if (best === undefined) return null;
    const pos = await best.locateMaxTimestamp();
    if (pos < 0) return null;
    const h = readBatchHeaderOnly(await best.read(pos, HEADER_SIZE));
    if (h.baseOffset >= bound) return null;
    const batch = await best.read(pos, h.sizeInBytes);
    return findTimestampInBatch(batch, h, h.maxTimestamp, start) ?? { offset: lastOffsetOf(h), timestamp: h.maxTimestamp };
  }

  // -------------------------------------------------------------------------------------------------
  // Maintenance

  /**
   * Deletes whole closed segments past retention.ms (by their max timestamp) or beyond
   * retention.bytes, oldest first, and advances the log start offset. Never deletes data at or past
   * the last stable offset. When the active segment itself is entirely past retention.ms it is rolled
   * first (as Kafka does), so the topic does not keep expired data until the next roll.
   * Also expires idle producers' state.
   */
  applyRetention(): Promise<void> {
    return this.maintLock.run(() =>
      this.appendLock.run(async () => {
        if (this.closed) return;
        const now = this.clock.now();
        const expired = this.producers.expire(now, this.config.producerIdExpirationMs ?? DAY_MS);
        if (expired > 0) this.logger.debug({ expired }, 'expired idle producer state');
        if (this.config.cleanupPolicy === 'compact') return;
        const segs = this.segments;
        const lso = this.lastStableOffset;
        const doomed: Segment[] = [];
        let i = 0;
        const { retentionMs, retentionBytes } = this.config;
        if (retentionMs >= 0) {
          const isExpired = (s: Segment): boolean => !s.isEmpty && s.maxTimestamp < BigInt(now - retentionMs) && s.nextOffset <= lso;
          while (i < segs.length - 1 && isExpired(segs[i] as Segment)) doomed.push(segs[i++] as Segment);
          const active = segs[segs.length - 1] as Segment;
          if (i === segs.length - 1 && isExpired(active)) {
            await this.roll();
            doomed.push(active);
            i++;
          }
        }
        if (retentionBytes >= 0) {
          let total = segs.reduce((n, s) => n + s.size, 0) - doomed.reduce((n, s) => n + s.size, 0);
          while (i < segs.length - 1) {
            const s = segs[i] as Segment;
            if (total - s.size < retentionBytes || s.nextOffset > lso) break;
            doomed.push(s);
            total -= s.size;
            i++;
          }
        }
        if (doomed.length > 0) await this.removeSegments(doomed, 'retention');
      }),
    );
  }

  /** Caller holds appendLock. The first remaining segment's base becomes the log start if higher. */
  private async removeSegments(doomed: Segment[], reason: string): Promise<void> {
    const gone = new Set(doomed);
    this.segments = this.segments.filter((s) => !gone.has(s));
    const first = this.segments[0] as Segment;
    if (first.baseOffset > this.startOffset) this.startOffset = first.baseOffset;
    await this.persistMeta();
    for (const s of doomed) {
      await s.pin();
      await s.deleteFiles();
    }
    await fsyncDir(this.dir);
    this.logger.info(
      { reason, segments: doomed.length, bytes: doomed.reduce((n, s) => n + s.size, 0), logStartOffset: this.startOffset.toString() },
      'deleted log segments',
    );
  }

  /**
   * Log compaction for 'compact' policies: over the closed segments below the first uncleanable
   * offset (the active segment's base, or the last stable offset if lower), keeps the latest record
   * per key, drops aborted transactional records, removes tombstones older than delete.retention.ms,
   * and keeps control batches, every producer's last batch, and batches it cannot decompress.
   * Each rewritten segment replaces the old one atomically (new file, fsync, rename).
   */
  compact(): Promise<void> {
    return this.maintLock.run(async () => {
      if (this.closed || this.config.cleanupPolicy === 'delete') return;
      const segs = this.segments;
      const active = segs[segs.length - 1] as Segment;
      const lso = this.lastStableOffset;
      const firstUncleanable = lso < active.baseOffset ? lso : active.baseOffset;
      if (firstUncleanable === this.cleanedUpTo && !this.tombstonesPending) return;
      const cleanable = segs.filter((s) => s !== active && s.nextOffset <= firstUncleanable);
      if (cleanable.length === 0) return;
      const producerLastBatches = new Set<bigint>();
      for (const e of this.producers.all()) {
        const last = e.batches[e.batches.length - 1];
        if (last !== undefined) producerLastBatches.add(last.firstOffset);
      }
      const outcome = await compactSegments({
        segments: cleanable,
        allSegments: segs,
        producerLastBatches,
        nowMs: this.clock.now(),
        deleteRetentionMs: this.config.deleteRetentionMs ?? DAY_MS,
        indexIntervalBytes: this.config.indexIntervalBytes,
        logger: this.logger,
        swap: (old, replacement) => this.appendLock.run(() => this.swapSegment(old, replacement)),
      });
      this.cleanedUpTo = firstUncleanable;
      this.tombstonesPending = outcome.tombstonesKept;
    });
  }

  /** Replaces a closed segment by its compacted version, or drops it when nothing survived. */
  private async swapSegment(old: Segment, replacement: Segment | null): Promise<void> {
    const idx = this.segments.indexOf(old);
    if (idx < 0) throw new LogError(KAFKA_STORAGE_ERROR, `compacting: segment ${old.baseOffset} vanished during compaction`);
    const next = this.segments.slice();
    if (replacement === null) next.splice(idx, 1);
    else next[idx] = replacement;
    this.segments = next;
    old.retire();
  }

  /**
   * DeleteRecords: moves the log start offset to `beforeOffset` (-1 = the high watermark) and deletes
   * segments wholly below it.
   */
  deleteRecords(beforeOffset: bigint): Promise<void> {
    return this.maintLock.run(() =>
      this.appendLock.run(async () => {
        this.ensureOpen();
        const target = beforeOffset === -1n ? this.endOffset : beforeOffset;
        if (target < 0n || target > this.endOffset) {
          throw new LogError(OFFSET_OUT_OF_RANGE, `deleting records: offset ${beforeOffset} is outside [0, ${this.endOffset}]`);
        }
        if (target <= this.startOffset) return;
        this.startOffset = target;
        const doomed: Segment[] = [];
        const segs = this.segments;
        for (let i = 0; i < segs.length - 1 && (segs[i] as Segment).nextOffset <= target; i++) doomed.push(segs[i] as Segment);
        const active = segs[segs.length - 1] as Segment;
        if (doomed.length === segs.length - 1 && !active.isEmpty && active.nextOffset <= target) {
          await this.roll();
          doomed.push(active);
        }
        if (doomed.length > 0) await this.removeSegments(doomed, 'delete-records');
        else await this.persistMeta();
      }),
    );
  }

  /** fsyncs the active segment and moves the recovery point to the log end. */
  flush(): Promise<void> {
    return this.appendLock.run(async () => {
      if (this.closed) return;
      await this.flushLocked();
    });
  }

  /** For fsync 'interval': flushes when fsyncIntervalMs passed since the last flush. */
  async maybeFlush(): Promise<void> {
    if (this.config.fsync !== 'interval' || this.clock.now() - this.lastFlushMs < this.config.fsyncIntervalMs) return;
    await this.flush();
  }

  private async flushLocked(): Promise<void> {
    await this.activeSegment().sync();
    this.lastFlushMs = this.clock.now();
    if (this.recoveryPoint !== this.endOffset) {
      this.recoveryPoint = this.endOffset;
      await this.persistMeta();
    }
  }

  /**
   * Flushes, persists indexes and a producer snapshot, and marks the shutdown clean so the next open
   * trusts the indexes. Waits for running appends and maintenance. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= this.maintLock.run(() =>
      this.appendLock.run(async () => {
        if (this.closed) return;
        this.closed = true;
        try {
          await this.flushLocked();
          await this.activeSegment().writeIndexes();
          await writeSnapshot(this.dir, this.endOffset, this.producers.toSnapshot(this.endOffset));
          await writeCleanShutdownMarker(this.dir);
        } finally {
          for (const s of this.segments) await s.closeHandle();
        }
      }),
    );
    return this.closing;
  }

  /** Closes without the clean-shutdown work (the partition's files are about to be deleted). */
  async abandon(): Promise<void> {
    this.closing ??= this.maintLock.run(() =>
      this.appendLock.run(async () => {
        this.closed = true;
        for (const s of this.segments) await s.closeHandle();
      }),
    );
    return this.closing;
  }

  private ensureOpen(): void {
    if (this.closed) throw new LogError(UNKNOWN_TOPIC_OR_PARTITION, `log ${this.dir} is closed`);
  }
}

/** Throws LogError INVALID_CONFIG when a log config is unusable. */
function validateConfig(c: LogConfig): void {
  const bad = (field: string, value: unknown): never => {
    throw new LogError(INVALID_CONFIG, `invalid log config ${field}: ${String(value)}`);
  };
  if (!(c.segmentBytes >= 14 && c.segmentBytes <= 0x7fffffff)) bad('segmentBytes', c.segmentBytes);
  if (!(c.indexIntervalBytes >= 0)) bad('indexIntervalBytes', c.indexIntervalBytes);
  if (!(c.maxMessageBytes >= 0)) bad('maxMessageBytes', c.maxMessageBytes);
  if (!(c.fsyncIntervalMs >= 0)) bad('fsyncIntervalMs', c.fsyncIntervalMs);
}

/** Index of the first segment holding offsets >= `offset` (segments.length if none). */
function segmentIndexFor(segs: readonly Segment[], offset: bigint): number {
  let lo = 0;
  let hi = segs.length - 1;
  let idx = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((segs[mid] as Segment).baseOffset <= offset) {
      idx = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  while (idx < segs.length && (segs[idx] as Segment).nextOffset <= offset) idx++;
  return idx;
}

/**
 * Aborted transactions overlapping [from, upper), as Kafka collects them: scan the txn indexes of the
 * segments from the one holding `from`, stopping after a segment with an entry whose recorded LSO is
 * at or past `upper` (every transaction that began before `upper` had completed by then).
 */
function collectAborted(segs: readonly Segment[], from: bigint, upper: bigint): Array<{ producerId: bigint; firstOffset: bigint }> {
  const out: Array<{ producerId: bigint; firstOffset: bigint }> = [];
  for (const seg of segs) {
    let complete = false;
    for (const a of seg.aborted) {
      if (a.lastOffset >= from && a.firstOffset < upper) out.push({ producerId: a.producerId, firstOffset: a.firstOffset });
      if (a.lastStableOffset >= upper) complete = true;
    }
    if (complete) break;
  }
  return out;
}

/** First record at or after `minOffset` with timestamp >= `target`; undecodable batches answer by header. */
function findTimestampInBatch(batch: Buffer, h: BatchHeader, target: bigint, minOffset: bigint): { offset: bigint; timestamp: bigint } | null {
  if (!canDecode(h)) {
    const offset = h.baseOffset > minOffset ? h.baseOffset : minOffset;
    return { offset, timestamp: h.maxTimestamp };
  }
  for (const r of decodeRecords(batch)) {
    if (r.offset >= minOffset && r.timestamp >= target) return { offset: r.offset, timestamp: r.timestamp };
  }
  return null;
}
