import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/sdk/schema.ts';
import { flatten } from '../../src/transforms/flatten.ts';
import { configAccepted, expectFailure } from './plugin-context.ts';
import { applied, record, transformOf } from './records.ts';

describe('flatten', () => {
  it.each([
    { name: 'nested objects', config: {}, value: { a: { b: 1, c: { d: 2 } }, e: 3 }, out: { 'a.b': 1, 'a.c.d': 2, e: 3 } },
    { name: 'a custom delimiter', config: { delimiter: '_' }, value: { address: { city: 'Oslo' } }, out: { address_city: 'Oslo' } },
    { name: 'arrays, bytes and dates stay values', config: {}, value: { a: { list: [1, { x: 1 }], at: new Date(0), raw: Buffer.from('x') } }, out: { 'a.list': [1, { x: 1 }], 'a.at': new Date(0), 'a.raw': Buffer.from('x') } },
    { name: 'a nested null keeps its name', config: {}, value: { a: null, b: { c: null } }, out: { a: null, 'b.c': null } },
    { name: 'an empty nested object disappears', config: {}, value: { a: {}, b: 1 }, out: { b: 1 } },
  ])('$name', ({ config, value, out }) => {
    expect(applied(flatten, config, record(value)).value).toStrictEqual(out);
  });

  it('flattens struct schemas, making children of optional structs optional', () => {
    const schema: Schema = {
      type: 'struct',
      name: 'Row',
      fields: [
        { field: 'id', schema: { type: 'int64' } },
        { field: 'address', schema: { type: 'struct', optional: true, fields: [{ field: 'city', schema: { type: 'string' } }, { field: 'geo', schema: { type: 'struct', fields: [{ field: 'lat', schema: { type: 'float64' } }] } }] } },
      ],
    };
    const out = applied(flatten, {}, record({ id: 1, address: null }, { valueSchema: schema }));
    expect(out.value).toStrictEqual({ id: 1, 'address.city': null, 'address.geo.lat': null });
    expect(out.valueSchema).toEqual({
      type: 'struct',
      name: 'Row',
      fields: [
        { field: 'id', schema: { type: 'int64' } },
        { field: 'address.city', schema: { type: 'string', optional: true } },
        { field: 'address.geo.lat', schema: { type: 'float64', optional: true } },
      ],
    });
  });

  it('passes a tombstone through', () => {
    const input = record(null);
    expect(applied(flatten, {}, input)).toBe(input);
  });

  it.each([
    ['two paths landing on one name', record({ 'a.b': 1, a: { b: 2 } }), /two fields flatten to the same name "a.b"/],
    ['a string value', record('x'), /record value is a string, expected an object/],
    ['a non-struct schema', record({ a: 1 }, { valueSchema: { type: 'map' } }), /schema is map, expected struct/],
  ])('fails clearly on %s', (_name, input, message) => {
    expectFailure(() => transformOf(flatten, {}).apply(input), 'TRANSFORM_FAILED', message);
  });

  it('rejects a non-string delimiter', () => {
    expect(configAccepted(flatten.spec, { delimiter: 1 })).toBe(false);
  });
});
