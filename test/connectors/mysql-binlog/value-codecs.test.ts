import { describe, expect, it } from 'vitest';
import { decodeCp1252 } from '../../../connectors/mysql-binlog/binlog/charset.ts';
import { crc32, crc32Portable } from '../../../connectors/mysql-binlog/binlog/checksum.ts';
import { decimalBinarySize, decodeDecimal } from '../../../connectors/mysql-binlog/binlog/decimal.ts';
import { decodeJsonBinary } from '../../../connectors/mysql-binlog/binlog/json-binary.ts';
import { decodeDate, decodeDatetime2, decodeTime2, decodeTimestamp2 } from '../../../connectors/mysql-binlog/binlog/temporal.ts';
import { datetimeToEpoch, dateToEpochDays, timeToMicros, timestampToIso } from '../../../connectors/mysql-binlog/output/debezium-temporal.ts';
import { javaDoubleString, javaFloatString } from '../../../connectors/mysql-binlog/output/java-number.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('binary DECIMAL', () => {
  it('decodes the MySQL manual example and its negation exactly', () => {
    // DECIMAL(14,4) 1234567890.1234: 1 leading digit (1 byte), 9 digits (4 bytes), 4 fraction digits (2 bytes).
    expect(decimalBinarySize(14, 4)).toBe(7);
    expect(decodeDecimal(hex('81 0D FB 38 D2 04 D2'), 14, 4)).toBe('1234567890.1234');
    expect(decodeDecimal(hex('7E F2 04 C7 2D FB 2D'), 14, 4)).toBe('-1234567890.1234');
  });

  it('keeps leading fraction zeros and prints zero without a sign', () => {
    // DECIMAL(10,2) 0.05 -> int part 8 digits (4 bytes) 0, fraction 2 digits (1 byte) 5.
    expect(decodeDecimal(hex('80 00 00 00 05'), 10, 2)).toBe('0.05');
    expect(decodeDecimal(hex('80 00 00 00 00'), 10, 2)).toBe('0.00');
    expect(decodeDecimal(hex('80 00 00 00'), 9, 0)).toBe('0');
  });
});

describe('temporal encodings', () => {
  it('DATETIME2 with each fraction width', () => {
    // 2024-02-29 12:34:56: ym = 2024*13+2, packed as in my_datetime_packed_to_binary.
    const ymd = ((2024 * 13 + 2) << 5) | 29;
    const hms = (12 << 12) | (34 << 6) | 56;
    const intPart = BigInt(ymd) * 2n ** 17n + BigInt(hms) + 0x8000000000n;
    const five = Buffer.alloc(5);
    five.writeUIntBE(Number(intPart), 0, 5);
    expect(decodeDatetime2(five, 0, 0)).toBe('2024-02-29 12:34:56');
    expect(decodeDatetime2(Buffer.concat([five, hex('07')]), 0, 2)).toBe('2024-02-29 12:34:56.07');
    expect(decodeDatetime2(Buffer.concat([five, hex('0001')]), 0, 3)).toBe('2024-02-29 12:34:56.000');
    expect(decodeDatetime2(Buffer.concat([five, hex('0F423F')]), 0, 6)).toBe('2024-02-29 12:34:56.999999');
  });

  it('negative TIME2 with a fraction borrows from the integer part', () => {
    // -00:00:00.5 as TIME(1): int part 0x800000 - 1, fraction 0x100 - 50.
    expect(decodeTime2(hex('7F FF FF CE'), 0, 1)).toBe('-00:00:00.5');
    expect(decodeTime2(hex('80 00 00'), 0, 0)).toBe('00:00:00');
    // -838:59:59
    const v = 0x800000 - ((838 << 12) | (59 << 6) | 59);
    const b = Buffer.alloc(3);
    b.writeUIntBE(v, 0, 3);
    expect(decodeTime2(b, 0, 0)).toBe('-838:59:59');
  });

  it('TIMESTAMP2 is UTC and 0 is the zero timestamp; DATE keeps zero parts', () => {
    expect(decodeTimestamp2(hex('7F FF FF FF'), 0, 0)).toBe('2038-01-19 03:14:07');
    expect(decodeTimestamp2(hex('00 00 00 00 00 00'), 0, 4)).toBe('0000-00-00 00:00:00.0000');
    expect(decodeDate((2024 << 9) | (0 << 5) | 15)).toBe('2024-00-15');
  });

  it('Debezium encodings: days, microseconds, epoch ms/µs, ISO UTC; zero dates are null', () => {
    expect(dateToEpochDays('1970-01-02')).toBe(1);
    expect(dateToEpochDays('0001-01-01')).toBe(-719162);
    expect(dateToEpochDays('0000-00-00')).toBeNull();
    expect(timeToMicros('-838:59:59.000001')).toBe(-3020399000001);
    expect(datetimeToEpoch('1969-12-31 23:59:59.9', 'ms')).toBe(-100);
    expect(datetimeToEpoch('9999-12-31 23:59:59.999999', 'us')).toBe(253402300799999999n);
    expect(timestampToIso('2024-01-02 03:04:05.120')).toBe('2024-01-02T03:04:05.120Z');
    expect(timestampToIso('0000-00-00 00:00:00')).toBeNull();
  });
});

describe('MySQL binary JSON', () => {
  it('small objects and arrays with inlined and offset values, printed as MySQL prints them', () => {
    expect(decodeJsonBinary(hex('00 0100 0C00 0B00 0100 050100 61'))).toBe('{"a": 1}');
    expect(decodeJsonBinary(hex('02 0200 0C00 040100 0C0A00 0178'))).toBe('[true, "x"]');
    expect(decodeJsonBinary(hex('04 00'))).toBe('null');
    expect(decodeJsonBinary(hex('0A FFFFFFFFFFFFFFFF'))).toBe('18446744073709551615');
    expect(decodeJsonBinary(hex('0B 000000000000F83F'))).toBe('1.5');
  });

  it('opaque DECIMAL values stay exact', () => {
    // opaque(NEWDECIMAL=246): precision 14, scale 4, then the binary decimal.
    expect(decodeJsonBinary(hex('0F F6 09 0E04 810DFB38D204D2'))).toBe('1234567890.1234');
  });
});

describe('Java number formatting (Canal FLOAT/DOUBLE strings)', () => {
  it('matches Float.toString and Double.toString', () => {
    expect(javaDoubleString(1)).toBe('1.0');
    expect(javaDoubleString(-0)).toBe('-0.0');
    expect(javaDoubleString(0.1)).toBe('0.1');
    expect(javaDoubleString(1e7)).toBe('1.0E7');
    expect(javaDoubleString(123456.789)).toBe('123456.789');
    expect(javaDoubleString(0.001)).toBe('0.001');
    expect(javaDoubleString(0.0001)).toBe('1.0E-4');
    expect(javaDoubleString(1.7976931348623157e308)).toBe('1.7976931348623157E308');
    expect(javaFloatString(Math.fround(0.1))).toBe('0.1');
    expect(javaFloatString(Math.fround(3.40282e38))).toBe('3.40282E38');
    expect(javaFloatString(Math.fround(16777217))).toBe('1.6777216E7');
  });
});

describe('checksums and charsets', () => {
  it('CRC-32 native and portable agree on the check value', () => {
    expect(crc32Portable(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it("latin1 is MySQL's cp1252", () => {
    expect(decodeCp1252(hex('80 8A 9F E9 81'))).toBe('€ŠŸé\u0081');
  });
});
