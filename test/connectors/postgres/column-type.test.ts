import { describe, expect, it } from 'vitest';
import { bitString, durationText, isoDateTime, normalizeBySchema, pgTypeForMysql, pgTypeForSchema, pgTypeForValue } from '../../../connectors/postgres/column-type.ts';

describe('column types', () => {
  it('follow Connect schemas, logical types first', () => {
    expect(pgTypeForSchema({ type: 'int8' })).toBe('smallint');
    expect(pgTypeForSchema({ type: 'int32' })).toBe('integer');
    expect(pgTypeForSchema({ type: 'float32' })).toBe('real');
    expect(pgTypeForSchema({ type: 'struct', fields: [] })).toBe('jsonb');
    expect(pgTypeForSchema({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal' })).toBe('numeric');
    expect(pgTypeForSchema({ type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' })).toBe('timestamptz');
    expect(pgTypeForSchema({ type: 'int64', name: 'io.debezium.time.NanoTimestamp' })).toBe('timestamp');
    expect(pgTypeForSchema({ type: 'string', name: 'io.debezium.time.ZonedTimestamp' })).toBe('timestamptz');
    expect(pgTypeForSchema({ type: 'string', name: 'some.unknown.Logical' })).toBe('text');
  });

  it('are inferred from schemaless values, null leaving the type open', () => {
    expect(pgTypeForValue(1)).toBe('bigint');
    expect(pgTypeForValue(0.5)).toBe('double precision');
    expect(pgTypeForValue(2n ** 63n - 1n)).toBe('bigint');
    expect(pgTypeForValue(2n ** 63n)).toBe('numeric');
    expect(pgTypeForValue(new Date())).toBe('timestamptz');
    expect(pgTypeForValue(Buffer.alloc(1))).toBe('bytea');
    expect(pgTypeForValue({})).toBe('jsonb');
    expect(pgTypeForValue(null)).toBeUndefined();
  });

  it('map MySQL column types from Canal, widening unsigned integers', () => {
    expect(pgTypeForMysql('int(11)')).toBe('integer');
    expect(pgTypeForMysql('int(10) unsigned')).toBe('bigint');
    expect(pgTypeForMysql('bigint(20) unsigned zerofill')).toBe('numeric(20)');
    expect(pgTypeForMysql('tinyint(1)')).toBe('smallint');
    expect(pgTypeForMysql('decimal(12,3)')).toBe('numeric(12,3)');
    expect(pgTypeForMysql('DATETIME(6)')).toBe('timestamp');
    expect(pgTypeForMysql("enum('a','b')")).toBe('text');
    expect(pgTypeForMysql('varbinary(16)')).toBe('bytea');
    expect(pgTypeForMysql('json')).toBe('jsonb');
  });
});

describe('Debezium and Connect time values', () => {
  it('become exact date/time text, microseconds and nanoseconds included', () => {
    expect(normalizeBySchema(-1, { type: 'int32', name: 'io.debezium.time.Date' })).toBe('1969-12-31');
    expect(normalizeBySchema(1_000, { type: 'int64', name: 'io.debezium.time.Timestamp' })).toBe('1970-01-01T00:00:01.000000');
    expect(normalizeBySchema(1_700_000_000_123_456_789n, { type: 'int64', name: 'io.debezium.time.NanoTimestamp' })).toBe('2023-11-14T22:13:20.123456');
    expect(normalizeBySchema(3_600_000_001, { type: 'int64', name: 'io.debezium.time.MicroTime' })).toBe('01:00:00.000001');
    expect(normalizeBySchema(5, { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' })).toBe('1970-01-01T00:00:00.005000Z');
    expect(normalizeBySchema('2024-01-01T00:00:00Z', { type: 'string', name: 'io.debezium.time.ZonedTimestamp' })).toBe('2024-01-01T00:00:00Z');
    expect(normalizeBySchema(7, { type: 'int64' })).toBe(7);
  });

  it('floor negative microseconds like the epoch arithmetic requires', () => {
    expect(isoDateTime(-1n)).toBe('1969-12-31T23:59:59.999999');
  });
});

describe('types that keep the source exact', () => {
  it('declare numeric(p,s) for a Decimal that states its precision, plain numeric otherwise', () => {
    const decimal = (parameters: Record<string, string>) => ({ type: 'bytes' as const, name: 'org.apache.kafka.connect.data.Decimal', parameters });
    expect(pgTypeForSchema(decimal({ scale: '30', 'connect.decimal.precision': '65' }))).toBe('numeric(65,30)');
    expect(pgTypeForSchema(decimal({ scale: '0', 'connect.decimal.precision': '20' }))).toBe('numeric(20,0)');
    expect(pgTypeForSchema(decimal({ scale: '2' }))).toBe('numeric');
    // Parameters are record data written into DDL: anything but a plain small integer is ignored.
    expect(pgTypeForSchema(decimal({ scale: '2', 'connect.decimal.precision': '10) ; DROP TABLE x; --' }))).toBe('numeric');
    expect(pgTypeForSchema(decimal({ scale: '5', 'connect.decimal.precision': '3' }))).toBe('numeric');
    expect(pgTypeForSchema(decimal({ scale: '0', 'connect.decimal.precision': '1001' }))).toBe('numeric');
  });

  it('make Debezium Bits a bit(n) column, written most significant bit first from its little-endian bytes', () => {
    const bits = (length: string) => ({ type: 'bytes' as const, name: 'io.debezium.data.Bits', parameters: { length } });
    expect(pgTypeForSchema(bits('13'))).toBe('bit(13)');
    expect(pgTypeForSchema({ type: 'bytes', name: 'io.debezium.data.Bits' })).toBe('bit varying');
    expect(pgTypeForSchema(bits('x'))).toBe('bit varying');
    // b'1000000000001' (0x1001) arrives as [0x01, 0x10].
    expect(normalizeBySchema(Buffer.from([0x01, 0x10]), bits('13'))).toBe('1000000000001');
    expect(normalizeBySchema(Buffer.from([0x05, 0x00]), bits('13'))).toBe('0000000000101');
    expect(normalizeBySchema(Buffer.from([0x01, 0, 0, 0, 0, 0, 0, 0x80]), bits('64'))).toBe(`1${'0'.repeat(62)}1`);
    // A set bit beyond the length is kept, so PostgreSQL refuses the value rather than losing the bit.
    expect(normalizeBySchema(Buffer.from([0x00, 0x80]), bits('13'))).toBe('1000000000000000');
    expect(bitString(Buffer.from([0x02]), undefined)).toBe('00000010');
  });

  it('make Debezium times a duration: interval for MySQL sources, never wrapped into a time of day', () => {
    const micro = { type: 'int64' as const, name: 'io.debezium.time.MicroTime' };
    expect(pgTypeForSchema(micro)).toBe('time');
    expect(pgTypeForSchema(micro, { timeIsDuration: true })).toBe('interval');
    expect(pgTypeForSchema({ type: 'int32', name: 'io.debezium.time.Time' }, { timeIsDuration: true })).toBe('interval');
    // Connect's Time is a time of day (0 to 24 h) whatever the source.
    expect(pgTypeForSchema({ type: 'int32', name: 'org.apache.kafka.connect.data.Time' }, { timeIsDuration: true })).toBe('time');
    expect(normalizeBySchema(3_020_399_000_000, micro)).toBe('838:59:59.000000');
    expect(normalizeBySchema(-3_020_398_999_999, micro)).toBe('-838:59:58.999999');
    expect(normalizeBySchema(-1, micro)).toBe('-00:00:00.000001');
    expect(normalizeBySchema(-45_296_001, { type: 'int32', name: 'io.debezium.time.Time' })).toBe('-12:34:56.001000');
    expect(normalizeBySchema(1_500n, { type: 'int64', name: 'io.debezium.time.NanoTime' })).toBe('00:00:00.000001');
    expect(durationText(0n)).toBe('00:00:00.000000');
  });
});
