import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/sdk/schema.ts';
import { timestampConverter } from '../../src/transforms/timestamp-converter.ts';
import { configAccepted, expectFailure } from './plugin-context.ts';
import { applied, record, transformOf } from './records.ts';

const T = Date.UTC(2024, 2, 10, 13, 55, 36, 123); // 2024-03-10T13:55:36.123Z

const converted = (config: Record<string, unknown>, v: unknown): unknown => (applied(timestampConverter, { field: 'at', ...config }, record({ at: v, id: 1 })).value as { at: unknown }).at;

describe('timestamp-converter', () => {
  it.each<[string, Record<string, unknown>, unknown, unknown]>([
    ['unix ms to ISO string', { to: 'string' }, T, '2024-03-10T13:55:36.123Z'],
    ['unix seconds to ISO string', { to: 'string', unixPrecision: 'seconds' }, Math.floor(T / 1000), '2024-03-10T13:55:36.000Z'],
    ['unix nanoseconds (bigint) to Timestamp', { to: 'Timestamp', unixPrecision: 'nanoseconds' }, BigInt(T) * 1_000_000n, new Date(T)],
    ['Date to a formatted string', { to: 'string', format: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" }, new Date(T), '2024-03-10T13:55:36.123Z'],
    ['a formatted string to unix', { to: 'unix', format: 'dd/MMM/yyyy:HH:mm:ss Z' }, '10/Mar/2024:14:55:36 +0100', T - 123],
    ['ISO string to unix microseconds', { to: 'unix', unixPrecision: 'microseconds' }, '2024-03-10T13:55:36.123Z', T * 1000],
    ['ISO string without zone is UTC', { to: 'unix' }, '2024-03-10T13:55:36.123', T],
    ['a string to Date (midnight)', { to: 'Date', format: 'yyyyMMdd' }, '20240310', new Date(Date.UTC(2024, 2, 10))],
    ['unix to Time (time of day)', { to: 'Time' }, T, new Date(Date.UTC(1970, 0, 1, 13, 55, 36, 123))],
    ['a Date to unix nanoseconds past 2^53 (bigint)', { to: 'unix', unixPrecision: 'nanoseconds' }, new Date(T), BigInt(T) * 1_000_000n],
    ['null stays null', { to: 'string' }, null, null],
  ])('%s', (_name, config, input, out) => {
    expect(converted(config, input)).toStrictEqual(out);
  });

  it('reads logical types from the schema and writes the new schema', () => {
    const schema: Schema = { type: 'struct', fields: [{ field: 'day', schema: { type: 'int32', name: 'org.apache.kafka.connect.data.Date', optional: true } }] };
    const out = applied(timestampConverter, { field: 'day', to: 'string', format: 'yyyy-MM-dd' }, record({ day: 19792 }, { valueSchema: schema }));
    expect(out.value).toEqual({ day: '2024-03-10' });
    expect(out.valueSchema).toEqual({ type: 'struct', fields: [{ field: 'day', schema: { type: 'string', optional: true } }] });
  });

  it('converts the whole value without a field', () => {
    const out = applied(timestampConverter, { to: 'Timestamp' }, record(T, { valueSchema: { type: 'int64' } }));
    expect(out.value).toStrictEqual(new Date(T));
    expect(out.valueSchema).toEqual({ type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp', version: 1 });
  });

  it.each<[string, Record<string, unknown>, unknown, RegExp]>([
    ['a missing field', { field: 'at', to: 'string' }, { id: 1 }, /field "at" is missing/],
    ['a string that does not match the format', { field: 'at', to: 'unix', format: 'yyyy-MM-dd' }, { at: '10/03/2024' }, /"10\/03\/2024" does not match the format "yyyy-MM-dd"/],
    ['an impossible date', { field: 'at', to: 'unix', format: 'yyyy-MM-dd' }, { at: '2024-02-30' }, /does not match the format/],
    ['a non-ISO string without a format', { field: 'at', to: 'unix' }, { at: 'yesterday' }, /not an ISO-8601 timestamp/],
    ['a boolean', { field: 'at', to: 'unix' }, { at: true }, /the value is a boolean, which is not a timestamp/],
    ['a string value', { field: 'at', to: 'unix' }, 'x', /record value is a string, expected an object/],
  ])('fails clearly on %s', (_name, config, value, message) => {
    expectFailure(() => transformOf(timestampConverter, config).apply(record(value)), 'TRANSFORM_FAILED', message);
  });

  it('rejects an unsupported format letter at construction', () => {
    expectFailure(() => transformOf(timestampConverter, { to: 'string', format: 'yyyy-ww' }), 'CONFIG_INVALID', /letter "w" is not supported/);
  });

  it.each([{}, { to: 'epoch' }, { to: 'unix', unixPrecision: 'days' }])('rejects config %j', (config) => {
    expect(configAccepted(timestampConverter.spec, config)).toBe(false);
  });
});
