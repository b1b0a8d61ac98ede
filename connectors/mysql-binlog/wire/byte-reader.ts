/**
 * A cursor over a Buffer for the MySQL wire and binlog formats: little-endian integers (the protocol's
 * default), big-endian ones (packed temporal and decimal values), length-encoded integers and strings.
 * Reads past the end throw, so a truncated packet surfaces as an error naming what was being read.
 */
export class ByteReader {
  readonly buf: Buffer;
  pos: number;
  /** Exclusive end; reads never go past it (lets a caller exclude a trailing checksum). */
  end: number;

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): number {
    if (n < 0 || this.pos + n > this.end) {
      throw new RangeError(`reading ${what}: need ${n} bytes at ${this.pos}, only ${this.end - this.pos} left`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  skip(n: number): void {
    this.need(n, 'skipped bytes');
  }

  u8(): number {
    return this.buf[this.need(1, 'uint8')] as number;
  }

  u16(): number {
    return this.buf.readUInt16LE(this.need(2, 'uint16'));
  }

  u24(): number {
    return this.buf.readUIntLE(this.need(3, 'uint24'), 3);
  }

  u32(): number {
    return this.buf.readUInt32LE(this.need(4, 'uint32'));
  }

  u48(): number {
    return this.buf.readUIntLE(this.need(6, 'uint48'), 6);
  }

  u64(): bigint {
    return this.buf.readBigUInt64LE(this.need(8, 'uint64'));
  }

  /** An unsigned little-endian integer of `n` (1..6) bytes. */
  uintLE(n: number): number {
    return this.buf.readUIntLE(this.need(n, `uint${n * 8}`), n);
  }

  i8(): number {
    return this.buf.readInt8(this.need(1, 'int8'));
  }

  i16(): number {
    return this.buf.readInt16LE(this.need(2, 'int16'));
  }

  i24(): number {
    return this.buf.readIntLE(this.need(3, 'int24'), 3);
  }

  i32(): number {
    return this.buf.readInt32LE(this.need(4, 'int32'));
  }

  i64(): bigint {
    return this.buf.readBigInt64LE(this.need(8, 'int64'));
  }

  f32(): number {
    return this.buf.readFloatLE(this.need(4, 'float'));
  }

  f64(): number {
    return this.buf.readDoubleLE(this.need(8, 'double'));
  }

  /** An unsigned big-endian integer of `n` (1..6) bytes. */
  uintBE(n: number): number {
    return this.buf.readUIntBE(this.need(n, `big-endian uint${n * 8}`), n);
  }

  /**
   * A length-encoded integer (0xfb is NULL in result rows; callers that allow it check first).
   * Values above 2^53 cannot be lengths or counts of anything that fits in memory, so they throw.
   */
  lenenc(): number {
    const first = this.u8();
    if (first < 0xfb) return first;
    if (first === 0xfc) return this.u16();
    if (first === 0xfd) return this.u24();
    if (first === 0xfe) {
      const v = this.u64();
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`reading a length-encoded integer: ${v} is beyond 2^53`);
      return Number(v);
    }
    throw new RangeError(`reading a length-encoded integer: invalid first byte 0x${first.toString(16)}`);
  }

  bytes(n: number): Buffer {
    const at = this.need(n, `${n} bytes`);
    return this.buf.subarray(at, at + n);
  }

  /** Everything up to `end`. */
  rest(): Buffer {
    return this.bytes(this.end - this.pos);
  }

  string(n: number, encoding: BufferEncoding = 'utf8'): string {
    return this.bytes(n).toString(encoding);
  }

  lenencBytes(): Buffer {
    return this.bytes(this.lenenc());
  }

  lenencString(encoding: BufferEncoding = 'utf8'): string {
    return this.lenencBytes().toString(encoding);
  }

  /** A NUL-terminated string; the NUL is consumed. Without a NUL, the rest of the buffer. */
  nulString(encoding: BufferEncoding = 'utf8'): string {
    const nul = this.buf.indexOf(0, this.pos);
    const stop = nul === -1 || nul >= this.end ? this.end : nul;
    const s = this.buf.toString(encoding, this.pos, stop);
    this.pos = Math.min(this.end, stop + 1);
    return s;
  }
}
