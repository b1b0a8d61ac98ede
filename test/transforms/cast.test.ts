import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/sdk/schema.ts';
import { cast } from '../../src/transforms/cast.ts';
import { configAccepted, expectFailure } from './plugin-context.ts';
import { applied, record, transformOf } from './records.ts';

const castOne = (to: string, v: unknown, schema?: Schema): unknown =>
  (applied(cast, { fields: { f: to } }, record({ f: v }, schema === undefined ? {} : { valueSchema: { type: 'struct', fields: [{ field: 'f', schema }] } })).value as { f: unknown }).f;

describe('cast', () => {
  it.each<[string, unknown, unknown]>([
    ['int32', '42', 42],
    ['int32', ' -7 ', -7],
    ['int32', 9.9, 9],
    ['int32', -9.9, -9],
    ['int8', true, 1],
    ['int64', '9223372036854775807', 9223372036854775807n],
    ['int64', 12n, 12],
    ['int64', new Date(5), 5],
    ['float64', '2.5', 2.5],
    ['float64', 3n, 3],
    ['float32', 0.1, Math.fround(0.1)],
    ['boolean', 'TRUE', true],
    ['boolean', 'false', false],
    ['boolean', 0, false],
    ['boolean', 2, true],
    ['string', 200, '200'],
    ['string', 2n ** 64n, '18446744073709551616'],
    ['string', false, 'false'],
    ['string', new Date(0), '1970-01-01T00:00:00.000Z'],
    ['string', Buffer.from('hi'), 'aGk='],
    ['string', { a: [1, 2n] }, '{"a":[1,"2"]}'],
    ['string', null, null],
  ])('%s from %s', (to, input, out) => {
    expect(castOne(to, input)).toStrictEqual(out);
  });

  it('truncates a Decimal string when casting to an integer', () => {
    const decimal: Schema = { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } };
    expect(castOne('int32', '-12.99', decimal)).toBe(-12);
  });

  it('casts the whole value with to:', () => {
    const out = applied(cast, { to: 'int64' }, record('17', { valueSchema: { type: 'string', optional: true } }));
    expect(out.value).toBe(17);
    expect(out.valueSchema).toEqual({ type: 'int64', optional: true });
  });

  it('retypes cast fields in a struct schema, dropping logical names', () => {
    const schema: Schema = {
      type: 'struct',
      fields: [
        { field: 'ts', schema: { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp', optional: true } },
        { field: 'n', schema: { type: 'string' } },
      ],
    };
    const out = applied(cast, { fields: { ts: 'string' } }, record({ ts: new Date(0), n: 'x' }, { valueSchema: schema }));
    expect(out.valueSchema).toEqual({ type: 'struct', fields: [{ field: 'ts', schema: { type: 'string', optional: true } }, { field: 'n', schema: { type: 'string' } }] });
  });

  it('leaves absent fields absent by default', () => {
    expect(applied(cast, { fields: { f: 'int32' } }, record({ g: 1 })).value).toStrictEqual({ g: 1 });
  });

  it.each<[string, Record<string, unknown>, unknown, RegExp]>([
    ['a non-integer string', { fields: { f: 'int32' } }, { f: 'abc' }, /field "f" is "abc", which is not an integer/],
    ['overflow', { fields: { f: 'int8' } }, { f: 300 }, /field "f" is 300, outside the range of int8/],
    ['NaN', { fields: { f: 'int32' } }, { f: Number.NaN }, /field "f" is NaN/],
    ['a non-numeric string to float', { fields: { f: 'float64' } }, { f: '1,5' }, /"1,5", which is not a number/],
    ['a word to boolean', { fields: { f: 'boolean' } }, { f: 'yes' }, /neither true nor false/],
    ['an object to int', { fields: { f: 'int64' } }, { f: { a: 1 } }, /is an object, which cannot be cast to int64/],
    ['a missing field with onMissing: fail', { fields: { f: 'int32' }, onMissing: 'fail' }, { g: 1 }, /field "f" is missing/],
    ['a string value cast field by field', { fields: { f: 'int32' } }, 'text', /record value is a string, expected an object/],
    ['a whole value that does not convert', { to: 'int32' }, 'abc', /value is "abc", which is not an integer/],
  ])('fails clearly on %s', (_name, config, value, message) => {
    expectFailure(() => transformOf(cast, config).apply(record(value)), 'TRANSFORM_FAILED', message);
  });

  it.each([{}, { fields: {} }, { fields: { a: 'int128' } }, { to: 'date' }, { fields: { a: 'int32' }, to: 'string' }])('rejects config %j', (config) => {
    expect(configAccepted(cast.spec, config)).toBe(false);
  });
});
