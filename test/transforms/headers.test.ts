import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/sdk/schema.ts';
import { dropHeaders } from '../../src/transforms/drop-headers.ts';
import { headerFrom } from '../../src/transforms/header-from.ts';
import { insertHeader } from '../../src/transforms/insert-header.ts';
import { configAccepted, expectFailure } from './plugin-context.ts';
import { applied, record, transformOf } from './records.ts';

describe('insert-header', () => {
  it('appends the header, keeping existing ones of the same name', () => {
    const out = applied(insertHeader, { header: 'env', value: 'prod' }, record({ a: 1 }, { headers: [{ key: 'env', value: 'dev' }] }));
    expect(out.headers).toEqual([{ key: 'env', value: 'dev' }, { key: 'env', value: 'prod' }]);
  });

  it.each([{}, { header: 'a' }, { header: '', value: 'x' }, { header: 'a', value: 1 }])('rejects config %j', (config) => {
    expect(configAccepted(insertHeader.spec, config)).toBe(false);
  });
});

describe('drop-headers', () => {
  it('removes every header of the named keys', () => {
    const headers = [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'a', value: null }, { key: 'c', value: Buffer.from('3') }];
    expect(applied(dropHeaders, { headers: ['a', 'c'] }, record(null, { headers })).headers).toEqual([{ key: 'b', value: '2' }]);
  });

  it('returns the same record when nothing matches', () => {
    const input = record({ a: 1 }, { headers: [{ key: 'x', value: '1' }] });
    expect(applied(dropHeaders, { headers: ['y'] }, input)).toBe(input);
  });

  it.each([{}, { headers: [] }])('rejects config %j', (config) => {
    expect(configAccepted(dropHeaders.spec, config)).toBe(false);
  });
});

describe('header-from', () => {
  it.each<[string, unknown, unknown]>([
    ['a string', 'abc', 'abc'],
    ['a number', 200, '200'],
    ['a bigint', 2n ** 63n, '9223372036854775808'],
    ['a boolean', true, 'true'],
    ['null', null, null],
    ['an object', { a: [1] }, '{"a":[1]}'],
    ['bytes', Buffer.from([1, 2]), Buffer.from([1, 2])],
  ])('copies %s', (_name, v, header) => {
    const out = applied(headerFrom, { fields: ['f'], headers: ['h'] }, record({ f: v, g: 1 }));
    expect(out.headers).toEqual([{ key: 'h', value: header }]);
    expect(out.value).toEqual({ f: v, g: 1 });
  });

  it('moves fields out of the value and its schema', () => {
    const schema: Schema = { type: 'struct', fields: [{ field: 'trace', schema: { type: 'string' } }, { field: 'id', schema: { type: 'int32' } }] };
    const out = applied(headerFrom, { fields: ['trace'], headers: ['x-trace'], operation: 'move' }, record({ trace: 't1', id: 1 }, { valueSchema: schema }));
    expect(out.value).toStrictEqual({ id: 1 });
    expect(out.valueSchema).toEqual({ type: 'struct', fields: [{ field: 'id', schema: { type: 'int32' } }] });
    expect(out.headers).toEqual([{ key: 'x-trace', value: 't1' }]);
  });

  it('adds no header for an absent field by default', () => {
    expect(applied(headerFrom, { fields: ['f'], headers: ['h'] }, record({ g: 1 })).headers).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, unknown, RegExp]>([
    ['a missing field with onMissing: fail', { fields: ['f'], headers: ['h'], onMissing: 'fail' }, { g: 1 }, /field "f" is missing/],
    ['a string value', { fields: ['f'], headers: ['h'] }, 'text', /record value is a string, expected an object/],
  ])('fails clearly on %s', (_name, config, value, message) => {
    expectFailure(() => transformOf(headerFrom, config).apply(record(value)), 'TRANSFORM_FAILED', message);
  });

  it('rejects fields and headers of different lengths at construction', () => {
    expectFailure(() => transformOf(headerFrom, { fields: ['a', 'b'], headers: ['h'] }), 'CONFIG_INVALID', /fields has 2 entries but headers has 1/);
  });
});
