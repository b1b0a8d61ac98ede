import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/sdk/schema.ts';
import { valueToKey } from '../../src/transforms/value-to-key.ts';
import { configAccepted, expectFailure } from './plugin-context.ts';
import { applied, record, transformOf } from './records.ts';

describe('value-to-key', () => {
  it.each([
    { name: 'one field', fields: ['id'], key: { id: 7 } },
    { name: 'several, in config order', fields: ['region', 'id'], key: { region: 'eu', id: 7 } },
    { name: 'a null field', fields: ['note'], key: { note: null } },
  ])('$name', ({ fields, key }) => {
    const input = record({ id: 7, region: 'eu', note: null }, { key: 'old' });
    const out = applied(valueToKey, { fields }, input);
    expect(out.key).toStrictEqual(key);
    expect(Object.keys(out.key as object)).toEqual(fields);
    expect(out.value).toBe(input.value);
  });

  it('derives a struct key schema from the value schema', () => {
    const schema: Schema = { type: 'struct', fields: [{ field: 'id', schema: { type: 'int64' } }, { field: 'name', schema: { type: 'string' } }] };
    const out = applied(valueToKey, { fields: ['id'] }, record({ id: 1, name: 'x' }, { valueSchema: schema, keySchema: { type: 'string' } }));
    expect(out.keySchema).toEqual({ type: 'struct', fields: [{ field: 'id', schema: { type: 'int64' } }] });
  });

  it('drops a key schema that no longer describes the key', () => {
    const out = applied(valueToKey, { fields: ['id'] }, record({ id: 1 }, { keySchema: { type: 'string' } }));
    expect(out.keySchema).toBeUndefined();
  });

  it('keeps the key of a tombstone', () => {
    const input = record(null, { key: { id: 1 } });
    expect(applied(valueToKey, { fields: ['id'] }, input)).toBe(input);
  });

  it.each([
    ['a missing field', record({ name: 'x' }), /record value has no field "id"/],
    ['a string value', record('id=1'), /record value is a string, expected an object/],
    ['an array value', record([1]), /record value is an array/],
    ['a field the schema lacks', record({ id: 1 }, { valueSchema: { type: 'struct', fields: [] } }), /record value schema has no field "id"/],
    ['a non-struct schema', record({ id: 1 }, { valueSchema: { type: 'string' } }), /schema is string, expected struct/],
  ])('fails clearly on %s', (_name, input, message) => {
    expectFailure(() => transformOf(valueToKey, { fields: ['id'] }).apply(input), 'TRANSFORM_FAILED', message);
  });

  it.each([{}, { fields: [] }, { fields: 'id' }, { fields: ['a', 'a'] }])('rejects config %j', (config) => {
    expect(configAccepted(valueToKey.spec, config)).toBe(false);
  });
});
