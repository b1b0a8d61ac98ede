import { describe, expect, it } from 'vitest';
import { formatDecimal, fromTwosComplement, normalizeDecimal, toTwosComplement, unscaled } from '../../src/serde/decimal.ts';

describe('two\'s complement bytes (Java BigInteger.toByteArray)', () => {
  // Expected bytes are BigInteger.valueOf(n).toByteArray() in Java.
  it.each<[bigint, number[]]>([
    [0n, [0x00]],
    [1n, [0x01]],
    [127n, [0x7f]],
    [128n, [0x00, 0x80]],
    [255n, [0x00, 0xff]],
    [256n, [0x01, 0x00]],
    [-1n, [0xff]],
    [-128n, [0x80]],
    [-129n, [0xff, 0x7f]],
    [-256n, [0xff, 0x00]],
    [123456n, [0x01, 0xe2, 0x40]],
  ])('%s', (n, bytes) => {
    expect([...toTwosComplement(n)]).toEqual(bytes);
    expect(fromTwosComplement(Buffer.from(bytes))).toBe(n);
  });

  it('round-trips large values of both signs', () => {
    for (let bits = 1; bits < 300; bits += 7) {
      for (const n of [2n ** BigInt(bits) - 1n, -(2n ** BigInt(bits)), 2n ** BigInt(bits) + 12345n, -(2n ** BigInt(bits)) - 3n]) {
        expect(fromTwosComplement(toTwosComplement(n))).toBe(n);
      }
    }
  });

  it('refuses empty bytes', () => {
    expect(() => fromTwosComplement(Buffer.alloc(0))).toThrow(/at least one byte/);
  });
});

describe('decimal text', () => {
  it.each<[string, number, bigint]>([
    ['12.34', 2, 1234n],
    ['1.5', 2, 150n],
    ['-0.01', 2, -1n],
    ['+7', 3, 7000n],
    ['.5', 1, 5n],
    ['5.', 0, 5n],
    ['1e-7', 7, 1n],
    ['1.25E+2', 0, 125n],
    ['1.2300', 2, 123n],
    ['1200', -2, 12n],
  ])('%s at scale %s is %s unscaled', (text, scale, n) => {
    expect(unscaled(text, scale)).toBe(n);
  });

  it.each<[string, number, RegExp]>([
    ['1.234', 2, /more than 2 decimal places/],
    ['1250', -2, /more than -2 decimal places/],
    ['abc', 2, /not a decimal number/],
    ['', 2, /not a decimal number/],
    ['.', 2, /not a decimal number/],
    ['1e99999', 2, /exponent out of range/],
  ])('%s at scale %s is refused', (text, scale, message) => {
    expect(() => unscaled(text, scale)).toThrow(message);
  });

  it.each<[bigint, number, string]>([
    [123456n, 2, '1234.56'],
    [-1n, 2, '-0.01'],
    [0n, 3, '0.000'],
    [5n, 0, '5'],
    [12n, -2, '1200'],
  ])('formats %s at scale %s as %s', (n, scale, text) => {
    expect(formatDecimal(n, scale)).toBe(text);
  });

  it.each<[string, number, string]>([
    ['1.5', 2, '1.50'],
    ['1.234', 2, '1.234'],
    ['-12', 1, '-12.0'],
  ])('normalizes numeric %s at scale %s to %s, never dropping digits', (text, scale, out) => {
    expect(normalizeDecimal(text, scale)).toBe(out);
  });
});
