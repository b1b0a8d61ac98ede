import { describe, expect, it } from 'vitest';
import { avroType } from '../../../src/serde/avro-types.ts';
import { formatDecimal, fromTwosComplement, toTwosComplement, unscaled } from '../../../src/serde/decimal.ts';

/** avsc types for Tributary's values: edges of the number fast paths against the exact bigint ones. */
describe('avro types', () => {
  const record = (type: unknown) => avroType({ type: 'record', name: 'R', fields: [{ name: 'v', type }] });
  const roundTrip = (type: ReturnType<typeof avroType>, v: unknown) => (type.fromBuffer(type.toBuffer({ v })) as { v: unknown }).v;

  it('writes decimals as Java\'s BigInteger bytes, on the fast path and off it', () => {
    const type = record({ type: 'bytes', logicalType: 'decimal', precision: 38, scale: 2 });
    const samples = ['0.00', '0.01', '-0.01', '1.27', '1.28', '-1.28', '-1.29', '327.67', '-327.68', '83886.07', '-83886.08', '9999999999999.99', '-9999999999999.99', '99999999999999.99', '123456789012345678901234567890123.45', '-1', '7.5', '+3.10', '1e3'];
    for (const text of samples) {
      const n = unscaled(text, 2);
      const bytes = type.toBuffer({ v: text }).subarray(1);
      expect(bytes.toString('hex'), text).toBe(toTwosComplement(n).toString('hex'));
      expect(roundTrip(type, text), text).toBe(formatDecimal(n, 2));
    }
    for (let i = 0; i < 2000; i++) {
      const n = BigInt(Math.floor((Math.random() - 0.5) * 2 ** 52)) * (i % 2 === 0 ? 1n : 1000n);
      const text = formatDecimal(n, 2);
      expect(fromTwosComplement(type.toBuffer({ v: text }).subarray(1)), text).toBe(n);
      expect(roundTrip(type, text)).toBe(text);
    }
  });

  it('refuses decimals beyond the precision or the scale, on both paths', () => {
    const type = record({ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 });
    expect(roundTrip(type, '99.99')).toBe('99.99');
    expect(() => type.toBuffer({ v: '100.00' })).toThrow(/more digits than decimal\(4, 2\)/);
    expect(() => type.toBuffer({ v: '1.234' })).toThrow(/more than 2 decimal places/);
    expect(() => type.toBuffer({ v: '12345678901234567890.5' })).toThrow(/more digits than decimal\(4, 2\)/);
  });

  it('sign-extends fixed decimals to their size', () => {
    const type = record({ type: 'fixed', name: 'F', size: 4, logicalType: 'decimal', precision: 9, scale: 0 });
    expect(type.toBuffer({ v: '-1' }).toString('hex')).toBe('ffffffff');
    expect(type.toBuffer({ v: '258' }).toString('hex')).toBe('00000102');
    expect(roundTrip(type, '-100000')).toBe('-100000');
  });

  it('keeps longs beyond 2^53 exact as bigint, also inside unions', () => {
    const type = record(['null', 'long']);
    for (const v of [0, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 9007199254740993n, -9007199254740993n, 9223372036854775807n, -9223372036854775808n]) {
      expect(roundTrip(type, v)).toBe(typeof v === 'bigint' && v >= -(2n ** 53n - 1n) && v <= 2n ** 53n - 1n ? Number(v) : v);
    }
    expect(roundTrip(type, null)).toBeNull();
    expect(() => type.toBuffer({ v: 2 ** 53 })).toThrow();
    expect(() => type.toBuffer({ v: 2n ** 63n })).toThrow();
  });

  it('converts Dates on the fast path and refuses what Connect refuses', () => {
    const date = record(['null', { type: 'int', logicalType: 'date' }]);
    const time = record({ type: 'int', logicalType: 'time-millis' });
    expect(roundTrip(date, new Date('2000-02-29T00:00:00Z'))).toEqual(new Date('2000-02-29T00:00:00Z'));
    expect(roundTrip(date, null)).toBeNull();
    expect(roundTrip(date, 3)).toEqual(new Date(3 * 86_400_000));
    expect(() => date.toBuffer({ v: new Date('2000-02-29T12:00:00Z') })).toThrow();
    expect(roundTrip(time, new Date(86_399_999))).toEqual(new Date(86_399_999));
    expect(() => time.toBuffer({ v: new Date(86_400_000) })).toThrow();
  });
});
