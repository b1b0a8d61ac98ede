import { describe, expect, it } from 'vitest';
import type { TributaryRecord } from '../../src/sdk/record.ts';
import type { Schema } from '../../src/sdk/schema.ts';
import { maskField, type MaskFieldConfig } from '../../src/transforms/mask-field.ts';
import { configAccepted, expectFailure, pluginContext } from './plugin-context.ts';

const create = (config: Record<string, unknown>) => maskField.create(pluginContext<MaskFieldConfig>(maskField.spec, config));

const record = (value: unknown, extra: Partial<TributaryRecord> = {}): TributaryRecord => Object.freeze({ topic: 't', key: null, value, headers: [], ...extra });

const masked = (config: Record<string, unknown>, value: unknown, extra: Partial<TributaryRecord> = {}) =>
  (create(config).apply(record(value, extra)) as TributaryRecord).value as Record<string, unknown>;

describe('mask-field', () => {
  describe('without a schema, the JS type decides', () => {
    it.each([
      ['string', 'secret', ''],
      ['number', 42.5, 0],
      ['bigint', 12n, 0n],
      ['boolean', true, false],
      ['Date', new Date(5), new Date(0)],
      ['Buffer', Buffer.from('pii'), Buffer.alloc(0)],
      ['array', [1, 2], []],
      ['Map', new Map([['a', 1]]), new Map()],
      ['object', { street: 'x' }, {}],
      ['null (stays null)', null, null],
    ])('%s', (_type, input, expected) => {
      expect(masked({ fields: ['f'] }, { id: 1, f: input }).f).toStrictEqual(expected);
    });

    it.each([
      ['string', 'secret', '***', '***'],
      ['number', 42, '-1.5', -1.5],
      ['bigint', 12n, '99', 99n],
      ['boolean', true, 'true', true],
    ])('%s with a replacement', (_type, input, replacement, expected) => {
      expect(masked({ fields: ['f'], replacement }, { f: input }).f).toStrictEqual(expected);
    });

    it('masks several fields and leaves the rest, in order', () => {
      const value = { id: 1, email: 'a@b', ssn: '123', name: 'Ann' };
      const out = masked({ fields: ['email', 'ssn'] }, value);
      expect(out).toEqual({ id: 1, email: '', ssn: '', name: 'Ann' });
      expect(Object.keys(out)).toEqual(['id', 'email', 'ssn', 'name']);
      expect(value.email).toBe('a@b');
    });

    it('leaves an absent field absent by default', () => {
      expect(masked({ fields: ['email'] }, { id: 1 })).toStrictEqual({ id: 1 });
    });
  });

  describe('with a schema, the field type decides', () => {
    const schema: Schema = {
      type: 'struct',
      fields: [
        { field: 'i8', schema: { type: 'int8' } },
        { field: 'i64', schema: { type: 'int64' } },
        { field: 'big', schema: { type: 'int64' } },
        { field: 'f', schema: { type: 'float32' } },
        { field: 'b', schema: { type: 'boolean' } },
        { field: 's', schema: { type: 'string', optional: true } },
        { field: 'bytes', schema: { type: 'bytes' } },
        { field: 'arr', schema: { type: 'array', items: { type: 'string' } } },
        { field: 'map', schema: { type: 'map', keys: { type: 'string' }, values: { type: 'int32' } } },
        { field: 'dec', schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } } },
        { field: 'ts', schema: { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' } },
        { field: 'day', schema: { type: 'int32', name: 'org.apache.kafka.connect.data.Date' } },
        { field: 'nested', schema: { type: 'struct', fields: [{ field: 'x', schema: { type: 'int32' } }] } },
      ],
    };
    const value = {
      i8: 5,
      i64: 7,
      big: 2n ** 60n,
      f: 1.5,
      b: true,
      s: 'x',
      bytes: Buffer.from('x'),
      arr: ['a'],
      map: { a: 1 },
      dec: '12.34',
      ts: 1_700_000_000_000,
      day: new Date(86_400_000),
      nested: { x: 1 },
    };
    const all = ['i8', 'i64', 'big', 'f', 'b', 's', 'bytes', 'arr', 'map', 'dec', 'ts', 'day'];

    it('masks to empty values of the schema type, keeping the schema', () => {
      const out = create({ fields: all }).apply(record(value, { valueSchema: schema })) as TributaryRecord;
      expect(out.value).toStrictEqual({ i8: 0, i64: 0, big: 0n, f: 0, b: false, s: '', bytes: Buffer.alloc(0), arr: [], map: {}, dec: '0.00', ts: 0, day: new Date(0), nested: { x: 1 } });
      expect(out.valueSchema).toBe(schema);
    });

    it.each([
      ['i8', '-7', -7],
      ['big', '5', 5n],
      ['i64', '9223372036854775807', 9223372036854775807n],
      ['f', '2.5', 2.5],
      ['s', 'REDACTED', 'REDACTED'],
      ['dec', '-1.5', '-1.5'],
    ])('%s with replacement %s', (field, replacement, expected) => {
      expect(masked({ fields: [field], replacement }, value, { valueSchema: schema })[field]).toStrictEqual(expected);
    });

    it.each([
      ['i8', '200', /"i8" is int8 and replacement "200" is out of its range/],
      ['i64', '1.5', /"i64" is an int64 and replacement "1.5" is not an integer/],
      ['f', 'abc', /"f" is a float32 and replacement "abc" is not a number/],
      ['b', 'yes', /"b" is a boolean and replacement "yes" is not true or false/],
      ['bytes', 'x', /"bytes" is a bytes, which cannot take a replacement string/],
      ['arr', 'x', /"arr" is an array, which cannot take a replacement string/],
      ['ts', '0', /"ts" is a Timestamp, which cannot take a replacement string/],
      ['dec', 'abc', /"dec" is a Decimal and replacement "abc" is not a number/],
    ])('%s with replacement %s is a TRANSFORM_FAILED', (field, replacement, message) => {
      const err = expectFailure(() => create({ fields: [field], replacement }).apply(record(value, { valueSchema: schema })), 'TRANSFORM_FAILED', message);
      expect(err.details).toMatchObject({ transform: 'mask-field', field });
    });

    it('refuses to mask a struct field', () => {
      expectFailure(() => create({ fields: ['nested'] }).apply(record(value, { valueSchema: schema })), 'TRANSFORM_FAILED', /"nested" is a struct, which cannot be masked/);
    });

    it('treats a schema field absent from the data as null, even with onMissing: fail', () => {
      const { s: _s, ...rest } = value;
      expect(masked({ fields: ['s'], onMissing: 'fail' }, rest, { valueSchema: schema })).toStrictEqual(rest);
    });
  });

  describe('bad input is a TRANSFORM_FAILED naming the field', () => {
    it.each([
      ['a string', 'x'],
      ['an array', ['email']],
      ['a Buffer', Buffer.from('{}')],
    ])('value that is %s', (what, value) => {
      expectFailure(() => create({ fields: ['email'] }).apply(record(value)), 'TRANSFORM_FAILED', `masking "email" in record value: record value is ${what}, expected an object with fields`);
    });

    it('missing field with onMissing: fail', () => {
      expectFailure(() => create({ fields: ['email'], onMissing: 'fail' }).apply(record({ id: 1 })), 'TRANSFORM_FAILED', 'masking "email" in record value: field "email" is missing');
    });

    it('a field missing from the schema with onMissing: fail', () => {
      const valueSchema: Schema = { type: 'struct', fields: [{ field: 'id', schema: { type: 'int32' } }] };
      expectFailure(() => create({ fields: ['email'], onMissing: 'fail' }).apply(record({ id: 1 }, { valueSchema })), 'TRANSFORM_FAILED', 'record value schema has no field "email"');
    });

    it.each([
      [{ nested: 1 }, 'a number field with a non-numeric replacement', /"f" is a number and replacement "x" is not a number/, { f: 5 }],
      [{}, 'an object field with a replacement', /"f" is an object, which cannot take a replacement string/, { f: {} }],
    ])('%j: %s', (_unused, _what, message, value) => {
      expectFailure(() => create({ fields: ['f'], replacement: 'x' }).apply(record(value)), 'TRANSFORM_FAILED', message);
    });

    it('a key that is a number, with target: key', () => {
      expectFailure(() => create({ target: 'key', fields: ['id'] }).apply(record({}, { key: 5 })), 'TRANSFORM_FAILED', /record key is a number/);
    });
  });

  it('passes tombstones through', () => {
    const r = record(null);
    expect(create({ fields: ['a'] }).apply(r)).toBe(r);
  });

  it('config needs a non-empty field list', () => {
    expect(configAccepted(maskField.spec, {})).toBe(false);
    expect(configAccepted(maskField.spec, { fields: [] })).toBe(false);
    expect(configAccepted(maskField.spec, { fields: ['a'], replacement: '' })).toBe(false);
    expectFailure(() => maskField.create({ ...pluginContext<MaskFieldConfig>(maskField.spec, { fields: ['a'] }), config: { fields: [] } }), 'CONFIG_INVALID', /at least one field/);
  });
});
