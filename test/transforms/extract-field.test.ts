import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/sdk/schema.ts';
import { extractField } from '../../src/transforms/extract-field.ts';
import { configAccepted, expectFailure } from './plugin-context.ts';
import { applied, record, transformOf } from './records.ts';

describe('extract-field', () => {
  const value = { id: 1, after: { id: 7, tags: ['a'] }, 'a.b': 'dotted', nil: null };

  it.each([
    { name: 'a top-level field', field: 'id', out: 1 },
    { name: 'an object field', field: 'after', out: { id: 7, tags: ['a'] } },
    { name: 'a nested path', field: 'after.id', out: 7 },
    { name: 'a backtick-quoted name with a dot', field: '`a.b`', out: 'dotted' },
    { name: 'a null field', field: 'nil', out: null },
    { name: 'a missing field gives null', field: 'ghost', out: null },
    { name: 'a path through a non-object gives null', field: 'id.x', out: null },
  ])('$name', ({ field, out }) => {
    expect(applied(extractField, { field }, record(value)).value).toStrictEqual(out);
  });

  it('extracts from the key with target: key', () => {
    const out = applied(extractField, { field: 'id', target: 'key' }, record('v', { key: { id: 'k1' } }));
    expect(out.key).toBe('k1');
    expect(out.value).toBe('v');
  });

  it('takes the field schema from a struct schema, nested too', () => {
    const inner: Schema = { type: 'struct', optional: true, fields: [{ field: 'id', schema: { type: 'int32' } }] };
    const schema: Schema = { type: 'struct', fields: [{ field: 'after', schema: inner }] };
    expect(applied(extractField, { field: 'after', }, record({ after: { id: 1 } }, { valueSchema: schema })).valueSchema).toBe(inner);
    expect(applied(extractField, { field: 'after.id' }, record({ after: { id: 1 } }, { valueSchema: schema })).valueSchema).toEqual({ type: 'int32' });
  });

  it('passes a tombstone through', () => {
    const input = record(null);
    expect(applied(extractField, { field: 'id' }, input)).toBe(input);
  });

  it.each([
    ['a missing field with onMissing: fail', { field: 'ghost', onMissing: 'fail' }, record(value), /field "ghost" is missing/],
    ['a missing nested segment with onMissing: fail', { field: 'after.ghost.x', onMissing: 'fail' }, record(value), /field "after.ghost" is missing/],
    ['a string value', { field: 'id' }, record('text'), /record value is a string, expected an object/],
    ['a field the schema lacks', { field: 'x' }, record({ x: 1 }, { valueSchema: { type: 'struct', fields: [] } }), /schema has no field "x"/],
  ])('fails clearly on %s', (_name, config, input, message) => {
    expectFailure(() => transformOf(extractField, config).apply(input), 'TRANSFORM_FAILED', message);
  });

  it.each(['a..b', '.a', 'a.', '`a'])('rejects the path %s when constructed', (field) => {
    expectFailure(() => transformOf(extractField, { field }), 'CONFIG_INVALID', /field path/);
  });

  it('requires a field', () => {
    expect(configAccepted(extractField.spec, {})).toBe(false);
  });
});
