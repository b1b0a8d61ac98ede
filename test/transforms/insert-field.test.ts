import { describe, expect, it } from 'vitest';
import type { SinkRecord, SourceRecord, TributaryRecord } from '../../src/sdk/record.ts';
import type { Schema } from '../../src/sdk/schema.ts';
import { insertField, type InsertFieldConfig } from '../../src/transforms/insert-field.ts';
import { configAccepted, expectFailure, pluginContext } from './plugin-context.ts';

const create = (config: Record<string, unknown>) => insertField.create(pluginContext<InsertFieldConfig>(insertField.spec, config));

const sourceRecord = (value: unknown, extra: Partial<SourceRecord> = {}): SourceRecord =>
  Object.freeze({ topic: 'orders', key: null, value, headers: [], sourcePartition: { file: 'a' }, sourceOffset: { pos: 1 }, ...extra });

const sinkRecord = (value: unknown, extra: Partial<SinkRecord> = {}): SinkRecord =>
  Object.freeze({ topic: 'orders', partition: 3, offset: '42', timestamp: 1_700_000_000_000, key: null, value, headers: [], ...extra });

describe('insert-field', () => {
  const cases: Array<{ name: string; config: Record<string, unknown>; record: TributaryRecord; value: unknown }> = [
    { name: 'topic', config: { topicField: 'src' }, record: sourceRecord({ id: 1 }), value: { id: 1, src: 'orders' } },
    { name: 'partition, when set', config: { partitionField: 'p' }, record: sourceRecord({ id: 1 }, { partition: 2 }), value: { id: 1, p: 2 } },
    { name: 'partition, skipped before the partitioner chose one', config: { partitionField: 'p' }, record: sourceRecord({ id: 1 }), value: { id: 1 } },
    { name: 'offset on the sink side', config: { offsetField: 'off' }, record: sinkRecord({ id: 1 }), value: { id: 1, off: 42 } },
    {
      name: 'offset past 2^53 as bigint',
      config: { offsetField: 'off' },
      record: sinkRecord({ id: 1 }, { offset: '9007199254740993' }),
      value: { id: 1, off: 9007199254740993n },
    },
    { name: 'offset, skipped on the source side', config: { offsetField: 'off' }, record: sourceRecord({ id: 1 }), value: { id: 1 } },
    { name: 'timestamp', config: { timestampField: 'ts' }, record: sinkRecord({ id: 1 }), value: { id: 1, ts: 1_700_000_000_000 } },
    { name: 'timestamp, skipped when absent', config: { timestampField: 'ts' }, record: sourceRecord({ id: 1 }), value: { id: 1 } },
    { name: 'static string', config: { staticField: 'env', staticValue: 'prod' }, record: sourceRecord({ id: 1 }), value: { id: 1, env: 'prod' } },
    { name: 'static number', config: { staticField: 'v', staticValue: 2 }, record: sourceRecord({}), value: { v: 2 } },
    { name: 'static boolean', config: { staticField: 'live', staticValue: false }, record: sourceRecord({}), value: { live: false } },
    { name: 'overwrites an existing field', config: { topicField: 'id' }, record: sourceRecord({ id: 1, x: 2 }), value: { id: 'orders', x: 2 } },
    {
      name: 'all at once, in order',
      config: { topicField: 't', partitionField: 'p', offsetField: 'o', timestampField: 'ts', staticField: 's', staticValue: 'x' },
      record: sinkRecord({ a: 1 }),
      value: { a: 1, t: 'orders', p: 3, o: 42, ts: 1_700_000_000_000, s: 'x' },
    },
    { name: 'a __proto__ field is data, not a prototype', config: { staticField: '__proto__', staticValue: 'x' }, record: sourceRecord({}), value: JSON.parse('{"__proto__":"x"}') },
  ];

  it.each(cases)('inserts $name', ({ config, record, value }) => {
    const out = create(config).apply(record) as TributaryRecord;
    expect(out.value).toStrictEqual(value);
    expect(Object.keys(out.value as object)).toEqual(Object.keys(value as object));
    expect(out.topic).toBe(record.topic);
  });

  it('edits the key with target: key and leaves the value alone', () => {
    const record = sourceRecord({ v: 1 }, { key: { id: 7 } });
    const out = create({ target: 'key', staticField: 'k', staticValue: 'x' }).apply(record) as TributaryRecord;
    expect(out.key).toEqual({ id: 7, k: 'x' });
    expect(out.value).toBe(record.value);
  });

  it('keeps source-record fields and does not mutate the input', () => {
    const value = Object.freeze({ id: 1 });
    const record = sourceRecord(value);
    const out = create({ topicField: 'src' }).apply(record) as SourceRecord;
    expect(out).not.toBe(record);
    expect(value).toEqual({ id: 1 });
    expect(out.sourceOffset).toEqual({ pos: 1 });
    expect('valueSchema' in out).toBe(false);
  });

  it.each([
    ['a tombstone value', 'value', sourceRecord(null)],
    ['a null key', 'key', sourceRecord({ id: 1 })],
  ])('passes %s through unchanged', (_name, target, record) => {
    expect(create({ target, topicField: 't' }).apply(record)).toBe(record);
  });

  describe('with a struct schema', () => {
    const schema: Schema = {
      type: 'struct',
      name: 'shop.orders.Value',
      version: 3,
      optional: false,
      fields: [
        { field: 'id', schema: { type: 'int32' } },
        { field: 'note', schema: { type: 'string', optional: true } },
      ],
    };

    it('appends the inserted fields as optional, typed like Connect', () => {
      const transform = create({ topicField: 't', partitionField: 'p', offsetField: 'o', timestampField: 'ts', staticField: 's', staticValue: 1.5 });
      const out = transform.apply(sinkRecord({ id: 1, note: null }, { valueSchema: schema })) as TributaryRecord;
      expect(out.valueSchema).toEqual({
        ...schema,
        fields: [
          ...(schema.fields ?? []),
          { field: 't', schema: { type: 'string', optional: true } },
          { field: 'p', schema: { type: 'int32', optional: true } },
          { field: 'o', schema: { type: 'int64', optional: true } },
          { field: 'ts', schema: { type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 } },
          { field: 's', schema: { type: 'float64', optional: true } },
        ],
      });
      expect(schema.fields).toHaveLength(2);
    });

    it('replaces a same-named field in place', () => {
      const out = create({ topicField: 'note' }).apply(sourceRecord({ id: 1, note: 'x' }, { valueSchema: schema })) as TributaryRecord;
      expect(out.valueSchema?.fields?.map((f) => f.field)).toEqual(['id', 'note']);
      expect(out.value).toEqual({ id: 1, note: 'orders' });
    });

    it('derives the schema once per input schema', () => {
      const transform = create({ topicField: 't' });
      const a = transform.apply(sourceRecord({ id: 1 }, { valueSchema: schema })) as TributaryRecord;
      const b = transform.apply(sourceRecord({ id: 2 }, { valueSchema: schema })) as TributaryRecord;
      expect(a.valueSchema).toBe(b.valueSchema);
    });

    it('rejects a part whose schema is not a struct', () => {
      const record = sourceRecord({ a: 'b' }, { valueSchema: { type: 'map', keys: { type: 'string' }, values: { type: 'string' } } });
      expectFailure(() => create({ topicField: 't' }).apply(record), 'TRANSFORM_FAILED', 'inserting "t" into record value: record value schema is map, expected struct');
    });
  });

  describe('bad input is a TRANSFORM_FAILED naming the field', () => {
    it.each([
      ['a string', 'hello'],
      ['a number', 5],
      ['a boolean', true],
      ['an array', [1, 2]],
      ['a Buffer', Buffer.from('x')],
      ['a Date', new Date(0)],
    ])('value that is %s', (what, value) => {
      const err = expectFailure(() => create({ topicField: 'src' }).apply(sourceRecord(value)), 'TRANSFORM_FAILED', `inserting "src" into record value: record value is ${what}, expected an object with fields`);
      expect(err.details).toMatchObject({ transform: 'insert-field', target: 'value' });
    });

    it('a key that is a string', () => {
      expectFailure(() => create({ target: 'key', topicField: 't' }).apply(sourceRecord({}, { key: 'k1' })), 'TRANSFORM_FAILED', /record key is a string/);
    });

    it('a sink offset that is not a number', () => {
      expectFailure(() => create({ offsetField: 'o' }).apply(sinkRecord({}, { offset: 'abc' })), 'TRANSFORM_FAILED', /offset "abc" is not a decimal integer/);
    });
  });

  describe('config', () => {
    it('is rejected by the spec when staticField comes without staticValue', () => {
      expect(configAccepted(insertField.spec, { staticField: 'x' })).toBe(false);
      expect(configAccepted(insertField.spec, { staticValue: 'x' })).toBe(false);
      expect(configAccepted(insertField.spec, { topicField: 't', unknown: 1 })).toBe(false);
      expect(configAccepted(insertField.spec, { target: 'headers', topicField: 't' })).toBe(false);
    });

    it.each([
      [{}, /set at least one of/],
      [{ topicField: 'a', partitionField: 'a' }, /field "a" is the target of two insertions/],
    ])('%j is CONFIG_INVALID', (config, message) => {
      expectFailure(() => create(config), 'CONFIG_INVALID', message);
    });

    it('defaults target to value', () => {
      expect(pluginContext<InsertFieldConfig>(insertField.spec, { topicField: 't' }).config.target).toBe('value');
    });
  });
});
