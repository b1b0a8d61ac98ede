/**
 * Reads Kafka protocol primitives from one request frame. Every read is bounds-checked against the
 * frame, so a truncated or lying frame raises a {@link ProtocolError} instead of reading garbage.
 * Byte fields are returned as views into the frame (no copy); callers that keep them past the request
 * (the log does) copy or own the frame.
 */
import { ProtocolError } from './protocol-error.ts';

export class Reader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): number {
    if (n < 0 || this.pos + n > this.end) {
      throw new ProtocolError(`reading ${what}: needs ${n} bytes at offset ${this.pos}, frame has ${this.end - this.pos} left`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1, 'int8'));
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2, 'int16'));
  }

  uint16(): number {
    return this.buf.readUInt16BE(this.need(2, 'uint16'));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4, 'int32'));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.need(4, 'uint32'));
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8, 'int64'));
  }

  float64(): number {
    return this.buf.readDoubleBE(this.need(8, 'float64'));
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  uuid(): Buffer {
    const at = this.need(16, 'uuid');
    return this.buf.subarray(at, at + 16);
  }

  /** Unsigned LEB128 varint of at most 5 bytes (the compact-length and tag encoding). */
  unsignedVarint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.buf[this.need(1, 'unsigned varint')] as number;
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw new ProtocolError('reading unsigned varint: value exceeds 32 bits');
        return value;
      }
    }
    throw new ProtocolError('reading unsigned varint: more than 5 bytes');
  }

  /** Zig-zag varint (int32). */
  varint(): number {
    const raw = this.unsignedVarint();
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Zig-zag varlong (int64). */
  varlong(): bigint {
    let raw = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.need(1, 'varlong')] as number;
      raw |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return (raw >> 1n) ^ -(raw & 1n);
    }
    throw new ProtocolError('reading varlong: more than 10 bytes');
  }

  private text(length: number, what: string): string {
    const at = this.need(length, what);
    return this.buf.toString('utf8', at, at + length);
  }

  private slice(length: number, what: string): Buffer {
    const at = this.need(length, what);
    return this.buf.subarray(at, at + length);
  }

  string(): string {
    const length = this.int16();
    if (length < 0) throw new ProtocolError(`reading string: negative length ${length} for a non-nullable string`);
    return this.text(length, 'string');
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length === -1) return null;
    if (length < 0) throw new ProtocolError(`reading nullable string: invalid length ${length}`);
    return this.text(length, 'nullable string');
  }

  compactString(): string {
    const length = this.unsignedVarint() - 1;
    if (length < 0) throw new ProtocolError('reading compact string: null for a non-nullable string');
    return this.text(length, 'compact string');
  }

  compactNullableString(): string | null {
    const length = this.unsignedVarint() - 1;
    return length < 0 ? null : this.text(length, 'compact nullable string');
  }

  bytes(): Buffer {
    const length = this.int32();
    if (length < 0) throw new ProtocolError(`reading bytes: negative length ${length} for non-nullable bytes`);
    return this.slice(length, 'bytes');
  }

  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length === -1) return null;
    if (length < 0) throw new ProtocolError(`reading nullable bytes: invalid length ${length}`);
    return this.slice(length, 'nullable bytes');
  }

  compactBytes(): Buffer {
    const length = this.unsignedVarint() - 1;
    if (length < 0) throw new ProtocolError('reading compact bytes: null for non-nullable bytes');
    return this.slice(length, 'compact bytes');
  }

  compactNullableBytes(): Buffer | null {
    const length = this.unsignedVarint() - 1;
    return length < 0 ? null : this.slice(length, 'compact nullable bytes');
  }

  /**
   * An array's element count (-1 = null). Each element takes at least one byte, so a count larger
   * than the bytes left is a lie; rejecting it early stops a 4-byte frame from allocating 2^31 slots.
   */
  arrayLength(): number {
    const length = this.int32();
    if (length < -1) throw new ProtocolError(`reading array: invalid length ${length}`);
    if (length > this.remaining) throw new ProtocolError(`reading array: ${length} elements cannot fit in ${this.remaining} bytes`);
    return length;
  }

  compactArrayLength(): number {
    const length = this.unsignedVarint() - 1;
    if (length > this.remaining) throw new ProtocolError(`reading compact array: ${length} elements cannot fit in ${this.remaining} bytes`);
    return length;
  }

  /** Skips a tagged-field section; the broker understands none of the tags its versions define. */
  skipTaggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint();
      const size = this.unsignedVarint();
      this.need(size, 'tagged field');
    }
  }
}
