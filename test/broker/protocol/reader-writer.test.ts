import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/broker/protocol/protocol-error.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

const hex = (w: Writer): string => w.toBuffer().toString('hex');

describe('Writer and Reader', () => {
  it('encodes fixed-width integers big-endian', () => {
    expect(hex(new Writer().int8(-1).int16(0x0102).int32(-2).int64(0x0102030405060708n))).toBe('ff0102fffffffe0102030405060708');
  });

  it('encodes unsigned varints as LEB128', () => {
    expect(hex(new Writer().unsignedVarint(0))).toBe('00');
    expect(hex(new Writer().unsignedVarint(127))).toBe('7f');
    expect(hex(new Writer().unsignedVarint(128))).toBe('8001');
    expect(hex(new Writer().unsignedVarint(300))).toBe('ac02');
    expect(hex(new Writer().unsignedVarint(0xffffffff))).toBe('ffffffff0f');
  });

  it('zig-zag encodes signed varints and varlongs', () => {
    expect(hex(new Writer().varint(0).varint(-1).varint(1).varint(-2))).toBe('00010203');
    expect(hex(new Writer().varint(2147483647))).toBe('feffffff0f');
    expect(hex(new Writer().varint(-2147483648))).toBe('ffffffff0f');
    expect(hex(new Writer().varlong(-9223372036854775808n))).toBe('ffffffffffffffffff01');
  });

  it('round-trips every primitive', () => {
    const w = new Writer()
      .string('héllo')
      .nullableString(null)
      .compactString('x')
      .compactNullableString(null)
      .bytes(Buffer.from([1, 2]))
      .nullableBytes(null)
      .compactBytes(Buffer.from([3]))
      .compactNullableBytes(null)
      .varint(-12345)
      .varlong(1234567890123n)
      .unsignedVarint(99999)
      .boolean(true)
      .float64(1.5);
    const r = new Reader(w.toBuffer());
    expect(r.string()).toBe('héllo');
    expect(r.nullableString()).toBeNull();
    expect(r.compactString()).toBe('x');
    expect(r.compactNullableString()).toBeNull();
    expect([...r.bytes()]).toEqual([1, 2]);
    expect(r.nullableBytes()).toBeNull();
    expect([...r.compactBytes()]).toEqual([3]);
    expect(r.compactNullableBytes()).toBeNull();
    expect(r.varint()).toBe(-12345);
    expect(r.varlong()).toBe(1234567890123n);
    expect(r.unsignedVarint()).toBe(99999);
    expect(r.boolean()).toBe(true);
    expect(r.float64()).toBe(1.5);
    expect(r.remaining).toBe(0);
  });

  it('keeps large byte fields by reference and small ones in order', () => {
    const big = Buffer.alloc(5000, 7);
    const w = new Writer(16).int32(1).bytes(big).int16(2);
    const chunks = w.toChunks();
    expect(chunks.some((c) => c === big)).toBe(true);
    const all = Buffer.concat(chunks);
    expect(all.length).toBe(4 + 4 + 5000 + 2);
    expect(all.readInt16BE(all.length - 2)).toBe(2);
  });

  it('grows past its scratch buffer without losing bytes', () => {
    const w = new Writer(8);
    for (let i = 0; i < 1000; i++) w.int32(i);
    const r = new Reader(w.toBuffer());
    for (let i = 0; i < 1000; i++) expect(r.int32()).toBe(i);
  });

  it('rejects reads past the end of the frame', () => {
    expect(() => new Reader(Buffer.from([0, 5, 0x61])).string()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).arrayLength()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).unsignedVarint()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from([1, 2, 3])).int32()).toThrow(ProtocolError);
  });

  it('skips tagged fields it does not know', () => {
    const w = new Writer().unsignedVarint(2).unsignedVarint(0).unsignedVarint(2).int16(7).unsignedVarint(5).unsignedVarint(1).int8(1).int32(42);
    const r = new Reader(w.toBuffer());
    r.skipTaggedFields();
    expect(r.int32()).toBe(42);
  });
});
