/**
 * Builds one response frame from Kafka protocol primitives. Small fields go into a scratch buffer;
 * large byte fields (record batches in Fetch responses) are kept by reference as their own chunk, so
 * serving a fetch never copies the log's bytes. `toChunks()` hands the pieces to `socket.write` in order.
 */

const SCRATCH_SIZE = 8192;
/** Byte fields at least this large are referenced, not copied. */
const REFERENCE_THRESHOLD = 1024;

export class Writer {
  private readonly chunks: Buffer[] = [];
  private scratch: Buffer;
  private pos = 0;
  private flushed = 0;

  constructor(scratchSize = SCRATCH_SIZE) {
    this.scratch = Buffer.allocUnsafe(scratchSize);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushed + this.pos;
  }

  /** Reserves `n` bytes; call it before reading `this.scratch`, which it may replace. */
  private room(n: number): number {
    if (this.pos + n > this.scratch.length) {
      this.flushScratch();
      if (n > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(n, SCRATCH_SIZE));
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  private flushScratch(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.scratch.subarray(0, this.pos));
    this.flushed += this.pos;
    this.scratch = this.scratch.subarray(this.pos);
    if (this.scratch.length < 64) this.scratch = Buffer.allocUnsafe(SCRATCH_SIZE);
    this.pos = 0;
  }

  int8(v: number): this {
    const at = this.room(1);
    this.scratch.writeInt8(v, at);
    return this;
  }

  int16(v: number): this {
    const at = this.room(2);
    this.scratch.writeInt16BE(v, at);
    return this;
  }

  uint16(v: number): this {
    const at = this.room(2);
    this.scratch.writeUInt16BE(v, at);
    return this;
  }

  int32(v: number): this {
    const at = this.room(4);
    this.scratch.writeInt32BE(v, at);
    return this;
  }

  uint32(v: number): this {
    const at = this.room(4);
    this.scratch.writeUInt32BE(v, at);
    return this;
  }

  int64(v: bigint): this {
    const at = this.room(8);
    this.scratch.writeBigInt64BE(v, at);
    return this;
  }

  float64(v: number): this {
    const at = this.room(8);
    this.scratch.writeDoubleBE(v, at);
    return this;
  }

  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  uuid(v: Buffer): this {
    if (v.length !== 16) throw new RangeError(`writing uuid: expected 16 bytes, got ${v.length}`);
    return this.raw(v);
  }

  unsignedVarint(v: number): this {
    if (v < 0 || v > 0xffffffff || !Number.isInteger(v)) throw new RangeError(`writing unsigned varint: ${v} out of range`);
    let rest = v;
    while (rest >= 0x80) {
      const at = this.room(1);
      this.scratch[at] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    const at = this.room(1);
    this.scratch[at] = rest;
    return this;
  }

  varint(v: number): this {
    return this.unsignedVarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  varlong(v: bigint): this {
    let rest = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (rest >= 0x80n) {
      const at = this.room(1);
      this.scratch[at] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    const at = this.room(1);
    this.scratch[at] = Number(rest);
    return this;
  }

  /** Appends bytes verbatim. */
  raw(v: Buffer): this {
    if (v.length >= REFERENCE_THRESHOLD) {
      this.flushScratch();
      this.chunks.push(v);
      this.flushed += v.length;
    } else {
      const at = this.room(v.length);
      v.copy(this.scratch, at);
    }
    return this;
  }

  private utf8(v: string, length: number): this {
    const at = this.room(length);
    this.scratch.write(v, at, length, 'utf8');
    return this;
  }

  string(v: string): this {
    const length = Buffer.byteLength(v, 'utf8');
    if (length > 0x7fff) throw new RangeError(`writing string: ${length} bytes exceed the int16 length`);
    return this.int16(length).utf8(v, length);
  }

  nullableString(v: string | null): this {
    return v === null ? this.int16(-1) : this.string(v);
  }

  compactString(v: string): this {
    const length = Buffer.byteLength(v, 'utf8');
    return this.unsignedVarint(length + 1).utf8(v, length);
  }

  compactNullableString(v: string | null): this {
    return v === null ? this.unsignedVarint(0) : this.compactString(v);
  }

  bytes(v: Buffer): this {
    return this.int32(v.length).raw(v);
  }

  nullableBytes(v: Buffer | null): this {
    return v === null ? this.int32(-1) : this.bytes(v);
  }

  compactBytes(v: Buffer): this {
    return this.unsignedVarint(v.length + 1).raw(v);
  }

  compactNullableBytes(v: Buffer | null): this {
    return v === null ? this.unsignedVarint(0) : this.compactBytes(v);
  }

  /** An empty tagged-field section: the broker sets none of the optional tags. */
  emptyTaggedFields(): this {
    return this.unsignedVarint(0);
  }

  /** The frame so far as chunks, in order; the writer must not be used afterwards. */
  toChunks(): Buffer[] {
    this.flushScratch();
    return this.chunks;
  }

  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.flushed);
  }
}
