import { describe, expect, it } from 'vitest';
import { isoDateTime, normalizeBySchema, pgTypeForMysql, pgTypeForSchema, pgTypeForValue } from '../../../connectors/postgres/column-type.ts';

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
