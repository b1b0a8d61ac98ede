import { describe, expect, it } from 'vitest';
import { hoistField } from '../../src/transforms/hoist-field.ts';
import { configAccepted } from './plugin-context.ts';
import { applied, record } from './records.ts';

describe('hoist-field', () => {
  it.each([
    ['a string', 'GET / 200', { line: 'GET / 200' }],
    ['a number', 42, { line: 42 }],
    ['an object', { a: 1 }, { line: { a: 1 } }],
    ['an array', [1, 2], { line: [1, 2] }],
  ])('wraps %s', (_name, value, out) => {
    expect(applied(hoistField, { field: 'line' }, record(value)).value).toStrictEqual(out);
  });

  it('wraps the key with target: key and builds a struct schema', () => {
    const out = applied(hoistField, { field: 'id', target: 'key' }, record('v', { key: 7, keySchema: { type: 'int32' } }));
    expect(out.key).toEqual({ id: 7 });
    expect(out.keySchema).toEqual({ type: 'struct', fields: [{ field: 'id', schema: { type: 'int32' } }] });
  });

  it('keeps a tombstone a tombstone', () => {
    const input = record(null);
    expect(applied(hoistField, { field: 'line' }, input)).toBe(input);
  });

  it('makes __proto__ a data field', () => {
    const out = applied(hoistField, { field: '__proto__' }, record('x')).value as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it.each([{}, { field: '' }, { field: 1 }])('rejects config %j', (config) => {
    expect(configAccepted(hoistField.spec, config)).toBe(false);
  });
});
