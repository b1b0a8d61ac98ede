import { describe, expect, it } from 'vitest';
import type { TributaryRecord } from '../../src/sdk/record.ts';
import type { Schema } from '../../src/sdk/schema.ts';
import { replaceField, type ReplaceFieldConfig } from '../../src/transforms/replace-field.ts';
import { configAccepted, expectFailure, pluginContext } from './plugin-context.ts';

const create = (config: Record<string, unknown>) => replaceField.create(pluginContext<ReplaceFieldConfig>(replaceField.spec, config));

const record = (value: unknown, extra: Partial<TributaryRecord> = {}): TributaryRecord => Object.freeze({ topic: 't', key: null, value, headers: [], ...extra });

const row = { id: 1, email: 'a@b.c', name: 'Ann', age: 30 };

describe('replace-field', () => {
  const cases: Array<{ name: string; config: Record<string, unknown>; value: Record<string, unknown> }> = [
    { name: 'exclude', config: { exclude: ['email', 'age'] }, value: { id: 1, name: 'Ann' } },
    { name: 'include', config: { include: ['name', 'id'] }, value: { id: 1, name: 'Ann' } },
    { name: 'exclude wins over include', config: { include: ['id', 'email'], exclude: ['email'] }, value: { id: 1 } },
    { name: 'renames, keeping order', config: { renames: { email: 'mail', id: 'key' } }, value: { key: 1, mail: 'a@b.c', name: 'Ann', age: 30 } },
    { name: 'swapping two names', config: { renames: { id: 'name', name: 'id' } }, value: { name: 1, email: 'a@b.c', id: 'Ann', age: 30 } },
    { name: 'include and renames', config: { include: ['id', 'email'], renames: { email: 'mail' } }, value: { id: 1, mail: 'a@b.c' } },
    { name: 'absent fields, ignored by default', config: { include: ['id', 'ghost'], renames: { ghost: 'g' }, exclude: ['nope'] }, value: { id: 1 } },
    { name: 'nothing configured', config: {}, value: row },
  ];

  it.each(cases)('$name', ({ config, value }) => {
    const out = create(config).apply(record(row)) as TributaryRecord;
    expect(out.value).toStrictEqual(value);
    expect(Object.keys(out.value as object)).toEqual(Object.keys(value));
    expect(row).toEqual({ id: 1, email: 'a@b.c', name: 'Ann', age: 30 });
  });

  it('edits the key with target: key', () => {
    const out = create({ target: 'key', renames: { id: 'order_id' } }).apply(record(row, { key: { id: 9 } })) as TributaryRecord;
    expect(out.key).toEqual({ order_id: 9 });
    expect(out.value).toBe(row);
  });

  it('passes tombstones through', () => {
    const r = record(null);
    expect(create({ exclude: ['a'] }).apply(r)).toBe(r);
  });

  describe('with a struct schema', () => {
    const schema: Schema = {
      type: 'struct',
      name: 'User',
      optional: true,
      fields: [
        { field: 'id', schema: { type: 'int64' } },
        { field: 'email', schema: { type: 'string', optional: true } },
        { field: 'name', schema: { type: 'string' } },
      ],
    };

    it('drops and renames schema fields the same way', () => {
      const out = create({ exclude: ['name'], renames: { email: 'mail' } }).apply(record({ id: 1, email: null, name: 'x' }, { valueSchema: schema })) as TributaryRecord;
      expect(out.value).toEqual({ id: 1, mail: null });
      expect(out.valueSchema).toEqual({
        type: 'struct',
        name: 'User',
        optional: true,
        fields: [
          { field: 'id', schema: { type: 'int64' } },
          { field: 'mail', schema: { type: 'string', optional: true } },
        ],
      });
    });

    it('fails, onMissing: fail, when the schema lacks a named field', () => {
      const r = record({ id: 1, email: null, name: 'x', ghost: 1 }, { valueSchema: schema });
      expectFailure(() => create({ renames: { ghost: 'g' }, onMissing: 'fail' }).apply(r), 'TRANSFORM_FAILED', 'record value schema has no field "ghost"');
    });

    it('fails on a rename collision in the schema', () => {
      const r = record({ id: 1, name: 'x' }, { valueSchema: schema });
      expectFailure(() => create({ renames: { id: 'name' } }).apply(r), 'TRANSFORM_FAILED', /renaming "id" to "name" collides/);
    });
  });

  describe('bad input is a TRANSFORM_FAILED', () => {
    it.each([
      ['a string', 'x'],
      ['an array', []],
      ['a number', 1],
    ])('value that is %s', (what, value) => {
      expectFailure(() => create({ exclude: ['a'] }).apply(record(value)), 'TRANSFORM_FAILED', `replacing fields of record value: record value is ${what}, expected an object with fields`);
    });

    it.each([
      [{ include: ['id', 'ghost'], onMissing: 'fail' }, 'field "ghost" is missing (onMissing: fail)'],
      [{ renames: { ghost: 'g' }, onMissing: 'fail' }, 'field "ghost" is missing'],
    ])('missing field with %j', (config, message) => {
      const err = expectFailure(() => create(config).apply(record(row)), 'TRANSFORM_FAILED', message);
      expect(err.details).toMatchObject({ transform: 'replace-field', field: 'ghost' });
    });

    it('a rename onto a field that is kept', () => {
      expectFailure(() => create({ renames: { email: 'name' } }).apply(record(row)), 'TRANSFORM_FAILED', 'renaming "email" to "name" collides with an existing field "name"');
    });
  });

  describe('config', () => {
    it.each([
      [{ exclude: ['a'], renames: { a: 'b' } }, /"a" is also excluded/],
      [{ include: ['x'], renames: { a: 'b' } }, /"a" is not in include/],
      [{ renames: { a: 'c', b: 'c' } }, /"a" and "b" are both renamed to "c"/],
    ])('%j is CONFIG_INVALID', (config, message) => {
      expectFailure(() => create(config), 'CONFIG_INVALID', message);
    });

    it('spec rejects malformed values', () => {
      expect(configAccepted(replaceField.spec, { renames: { a: 1 } })).toBe(false);
      expect(configAccepted(replaceField.spec, { renames: ['a:b'] })).toBe(false);
      expect(configAccepted(replaceField.spec, { include: ['a', 'a'] })).toBe(false);
      expect(configAccepted(replaceField.spec, { onMissing: 'maybe' })).toBe(false);
    });
  });
});
