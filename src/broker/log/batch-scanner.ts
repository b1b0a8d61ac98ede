/**
 * Walks the batches stored in a byte range of a file, reading in large chunks. Used by recovery (with
 * CRC checks), index rebuilds, reads and compaction. The scan stops at the first byte that is not a
 * well-formed batch and reports where, so recovery can truncate a torn tail there.
 */

import { CRC_POS, HEADER_SIZE, LENGTH_POS, LOG_OVERHEAD, MAGIC_POS, MAGIC_V2, readBatchHeaderOnly, type BatchHeader } from './record-batch.ts';
import { crc32c } from './crc32c.ts';

export type ReadAt = (position: number, length: number) => Promise<Buffer>;

export interface ScannedBatch {
  position: number;
  header: BatchHeader;
  /** The whole batch, when the scan was asked for bodies. A view: copy it to keep it. */
  batch: Buffer | undefined;
}

export interface ScanOptions {
  /** Read whole batches (needed for CRC checks and decoding). */
  withBody: boolean;
  /** Verify each batch's CRC; implies withBody. */
  verifyCrc?: boolean;
  chunkSize?: number;
}

export interface ScanEnd {
  /** Position after the last good batch. */
  validEnd: number;
  /** Why the scan stopped before `end`, if it did. */
  invalidReason: string | undefined;
}

const DEFAULT_CHUNK = 1 << 20;

/**
 * Yields each batch in [start, end). The returned {@link ScanEnd} (via `result()`) tells whether the
 * range ended cleanly.
 */
export class BatchScanner {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;
  private readonly chunkSize: number;
  private readonly withBody: boolean;
  private readonly verifyCrc: boolean;
  private end: ScanEnd = { validEnd: 0, invalidReason: undefined };

  constructor(
    private readonly readAt: ReadAt,
    private readonly start: number,
    private readonly limit: number,
    o: ScanOptions,
  ) {
    this.chunkSize = o.chunkSize ?? DEFAULT_CHUNK;
    this.verifyCrc = o.verifyCrc ?? false;
    this.withBody = o.withBody || this.verifyCrc;
  }

  result(): ScanEnd {
    return this.end;
  }

  private async ensure(position: number, length: number): Promise<Buffer> {
    if (position >= this.chunkStart && position + length <= this.chunkStart + this.chunk.length) {
      return this.chunk.subarray(position - this.chunkStart, position - this.chunkStart + length);
    }
    const want = Math.min(Math.max(length, this.chunkSize), this.limit - position);
    this.chunk = await this.readAt(position, want);
    this.chunkStart = position;
    return this.chunk.subarray(0, Math.min(length, this.chunk.length));
  }

  async *batches(): AsyncGenerator<ScannedBatch> {
    let pos = this.start;
    this.end = { validEnd: pos, invalidReason: undefined };
    while (pos < this.limit) {
      const remaining = this.limit - pos;
      if (remaining < HEADER_SIZE) {
        this.end.invalidReason = `${remaining} trailing bytes are shorter than a batch header`;
        return;
      }
      const head = await this.ensure(pos, HEADER_SIZE);
      if (head.length < HEADER_SIZE) {
        this.end.invalidReason = `file ended inside a batch header`;
        return;
      }
      const magic = head.readInt8(MAGIC_POS);
      const batchLength = head.readInt32BE(LENGTH_POS);
      if (magic !== MAGIC_V2 || batchLength < HEADER_SIZE - LOG_OVERHEAD) {
        this.end.invalidReason = `no valid batch header (magic ${magic}, length ${batchLength})`;
        return;
      }
      const size = LOG_OVERHEAD + batchLength;
      if (size > remaining) {
        this.end.invalidReason = `batch claims ${size} bytes, ${remaining} remain`;
        return;
      }
      const header = readBatchHeaderOnly(head, 0);
      let batch: Buffer | undefined;
      if (this.withBody) {
        batch = await this.ensure(pos, size);
        if (batch.length < size) {
          this.end.invalidReason = `file ended inside a batch`;
          return;
        }
        if (this.verifyCrc && batch.readUInt32BE(CRC_POS) !== crc32c(batch, CRC_POS + 4, size)) {
          this.end.invalidReason = `CRC mismatch in batch at offset ${header.baseOffset}`;
          return;
        }
      }
      yield { position: pos, header, batch };
      pos += size;
      this.end.validEnd = pos;
    }
  }
}
