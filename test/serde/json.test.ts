import { describe, expect, it } from 'vitest';
import { TributaryError, type ErrorCode } from '../../src/sdk/errors.ts';
import type { Schema } from '../../src/sdk/schema.ts';
import type { Deserialized, SerdeCallContext, SerdeContext } from '../../src/sdk/serde.ts';
import { jsonSerde, type JsonSerdeConfig } from '../../src/serde/json.ts';
import { configAccepted, pluginContext } from '../transforms/plugin-context.ts';

function serde(config: Record<string, unknown> = {}, isKey = false) {
  const ctx: SerdeContext<JsonSerdeConfig> = { ...pluginContext<JsonSerdeConfig>(jsonSerde.spec, config), isKey };
  return { serializer: jsonSerde.createSerializer(ctx), deserializer: jsonSerde.createDeserializer(ctx) };
}

const call: SerdeCallContext = { topic: 'orders', isKey: false, headers: [] };

const text = (b: Buffer | null | Promise<Buffer | null>) => (b as Buffer).toString('utf8');
const read = (d: Deserialized | Promise<Deserialized>) => d as Deserialized;

async function failure(fn: () => unknown, code: ErrorCode, message: RegExp | string): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(TributaryError);
  expect((caught as TributaryError).code).toBe(code);
  expect((caught as TributaryError).message).toMatch(message);
}

describe('json serde, plain (schemas: false)', () => {
  const { serializer, deserializer } = serde();

  it.each<[string, unknown, string]>([
    ['an object', { id: 1, name: 'Ann', tags: ['a'], nested: { ok: true }, none: null }, '{"id":1,"name":"Ann","tags":["a"],"nested":{"ok":true},"none":null}'],
    ['bigint with every digit', { id: 12345678901234567890n }, '{"id":12345678901234567890}'],
    ['a Buffer as base64', { raw: Buffer.from([0, 255]) }, '{"raw":"AP8="}'],
    ['a Date as ISO-8601', { at: new Date(Date.UTC(2024, 1, 29, 13, 45)) }, '{"at":"2024-02-29T13:45:00.000Z"}'],
    ['undefined members left out', { a: 1, b: undefined }, '{"a":1}'],
    ['escapes', { s: 'a"b\\c\n\u0001' }, '{"s":"a\\"b\\\\c\\n\\u0001"}'],
    ['a string', 'hello', '"hello"'],
    ['a number', 4.5, '4.5'],
  ])('writes %s', (_what, data, json) => {
    expect(text(serializer.serialize(data, undefined, call))).toBe(json);
  });

  it.each<[string, string, unknown]>([
    ['an object', '{"id":1,"name":"Ann"}', { id: 1, name: 'Ann' }],
    ['integers past 2^53 as bigint', '{"id":12345678901234567890,"small":9007199254740991}', { id: 12345678901234567890n, small: 9007199254740991 }],
    ['negative ones too', '[-9007199254740993]', [-9007199254740993n]],
    ['long decimals as (rounded) numbers', '{"x":1234567890.123456789}', { x: Number('1234567890.123456789') }],
    ['a top-level string', '"x"', 'x'],
    ['a byte-order mark, skipped', '\ufeff{"a":1}', { a: 1 }],
  ])('reads %s', (_what, json, data) => {
    expect(read(deserializer.deserialize(Buffer.from(json, 'utf8'), call))).toStrictEqual({ data });
  });

  it('round-trips bigint and nested data', () => {
    const data = { id: -98765432109876543210n, list: [1, 2.5, 'x', null, { deep: [true] }] };
    expect(read(deserializer.deserialize(serializer.serialize(data, undefined, call) as Buffer, call)).data).toStrictEqual(data);
  });

  it('maps null to null bytes and null or empty bytes to null', () => {
    expect(serializer.serialize(null, undefined, call)).toBeNull();
    expect(serializer.serialize(undefined, undefined, call)).toBeNull();
    expect(read(deserializer.deserialize(null, call))).toEqual({ data: null });
    expect(read(deserializer.deserialize(Buffer.alloc(0), call))).toEqual({ data: null });
  });

  it('ignores a record schema: values are written as they look', () => {
    const schema: Schema = { type: 'struct', fields: [{ field: 'at', schema: { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' } }] };
    expect(text(serializer.serialize({ at: new Date(0) }, schema, call))).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });

  it.each<[string, unknown, RegExp]>([
    ['NaN', { x: NaN }, /serializing value of topic "orders" as JSON: NaN cannot be written as JSON/],
    ['Infinity', [Infinity], /Infinity cannot be written/],
    ['an invalid Date', { at: new Date('nope') }, /invalid Date/],
    ['a function', { f: Symbol('x') }, /./],
  ])('fails to write %s with SERIALIZATION_FAILED', async (_what, data, message) => {
    if (typeof (data as { f?: unknown }).f === 'symbol') {
      // Symbols are skipped like JSON.stringify does; a top-level one is an error.
      expect(text(serializer.serialize(data, undefined, call))).toBe('{}');
      await failure(() => serializer.serialize(Symbol('x'), undefined, call), 'SERIALIZATION_FAILED', /a symbol cannot be written/);
      return;
    }
    await failure(() => serializer.serialize(data, undefined, call), 'SERIALIZATION_FAILED', message);
  });

  it('fails on a cycle instead of overflowing the stack', async () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    await failure(() => serializer.serialize(a, undefined, call), 'SERIALIZATION_FAILED', /nested more than 1000 levels deep/);
  });

  it.each<[string, Buffer, RegExp]>([
    ['truncated JSON', Buffer.from('{"a":'), /deserializing value of topic "orders" from JSON/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), /deserializing value of topic "orders" from JSON/],
    ['trailing text after a long number', Buffer.from('12345678901234567890 x'), /unexpected text after the JSON value/],
  ])('fails to read %s with DESERIALIZATION_FAILED', async (_what, bytes, message) => {
    await failure(() => deserializer.deserialize(bytes, call), 'DESERIALIZATION_FAILED', message);
  });

  it('names the key in key errors', async () => {
    await failure(() => serde({}, true).serializer.serialize(NaN, undefined, { ...call, isKey: true }), 'SERIALIZATION_FAILED', /serializing key of topic "orders"/);
  });
});

describe('json serde, Connect envelope (schemas: true)', () => {
  const { serializer, deserializer } = serde({ schemas: true });
  const envelope = (data: unknown, schema?: Schema) => JSON.parse(text(serializer.serialize(data, schema, call))) as { schema: unknown; payload: unknown };

  describe('inferring a schema for schemaless data', () => {
    it.each<[string, unknown, unknown, unknown?]>([
      ['a string', 'x', { type: 'string', optional: false }],
      ['an integer', 7, { type: 'int64', optional: false }],
      ['a bigint', 7n, { type: 'int64', optional: false }, 7], // int64 within 2^53 reads back as a number
      ['a fraction', 7.5, { type: 'double', optional: false }],
      ['a boolean', false, { type: 'boolean', optional: false }],
      ['a Buffer', Buffer.from('x'), { type: 'bytes', optional: false }],
      ['a Date', new Date(0), { type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 }],
      [
        'an object, null fields optional',
        { id: 1, name: 'a', gone: null },
        {
          type: 'struct',
          fields: [
            { type: 'int64', optional: false, field: 'id' },
            { type: 'string', optional: false, field: 'name' },
            { type: 'string', optional: true, field: 'gone' },
          ],
          optional: false,
        },
      ],
      ['an array of integers', [1, 2], { type: 'array', items: { type: 'int64', optional: false }, optional: false }],
      ['an array mixing integers and fractions', [1, 2.5], { type: 'array', items: { type: 'double', optional: false }, optional: false }],
      ['an array with nulls', [null, 'a'], { type: 'array', items: { type: 'string', optional: true }, optional: false }],
      ['an empty array', [], { type: 'array', items: { type: 'string', optional: true }, optional: false }],
      [
        'an array of objects with different fields',
        [{ a: 1 }, { a: 2.5, b: 'x' }],
        {
          type: 'array',
          items: {
            type: 'struct',
            fields: [
              { type: 'double', optional: false, field: 'a' },
              { type: 'string', optional: true, field: 'b' },
            ],
            optional: false,
          },
          optional: false,
        },
        // A field an element lacks reads back as null, as from Connect.
        [{ a: 1, b: null }, { a: 2.5, b: 'x' }],
      ],
      // Maps with string keys read back as plain objects.
      ['a Map', new Map([['k', 1]]), { type: 'map', keys: { type: 'string', optional: false }, values: { type: 'int64', optional: false }, optional: false }, { k: 1 }],
    ])('%s', (_what, data, schema, readsBackAs = data) => {
      const out = envelope(data);
      expect(out.schema).toEqual(schema);
      // What we write, we read back.
      const back = read(deserializer.deserialize(serializer.serialize(data, undefined, call) as Buffer, call));
      expect(back.data).toStrictEqual(readsBackAs);
    });

    it('fails for arrays mixing unrelated types', async () => {
      await failure(() => serializer.serialize({ list: [1, 'a'] }, undefined, call), 'SERIALIZATION_FAILED', /list\[1\]: elements mix int64 and string/);
    });
  });

  describe('with a record schema', () => {
    const schema: Schema = {
      type: 'struct',
      name: 'shop.Order',
      version: 1,
      fields: [
        { field: 'id', schema: { type: 'int64' } },
        { field: 'qty', schema: { type: 'int16' } },
        { field: 'note', schema: { type: 'string', optional: true } },
        { field: 'price', schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } } },
        { field: 'day', schema: { type: 'int32', name: 'org.apache.kafka.connect.data.Date', version: 1 } },
        { field: 'ts', schema: { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp', version: 1, optional: true } },
        { field: 'status', schema: { type: 'string', default: 'new' } },
        {
          field: 'customer',
          schema: { type: 'struct', optional: true, fields: [{ field: 'city', schema: { type: 'string' } }] },
        },
      ],
    };
    const data = { id: 9007199254740993n, qty: 3, note: null, price: '19.90', day: new Date('2024-03-01T00:00:00Z'), ts: 1_700_000_000_000, status: null, customer: { city: 'Oslo' } };

    it('writes Connect types and reads back JS values, the schema unchanged', () => {
      const bytes = serializer.serialize(data, schema, call) as Buffer;
      expect(text(bytes)).toContain('"payload":{"id":9007199254740993,"qty":3,"note":null,"price":"B8Y=","day":19783,"ts":1700000000000,"status":"new","customer":{"city":"Oslo"}}');
      const back = read(deserializer.deserialize(bytes, call));
      expect(back.data).toStrictEqual({ ...data, price: '19.90', ts: new Date(1_700_000_000_000), status: 'new' });
      expect(back.schema).toEqual({
        ...schema,
        optional: false,
        fields: (schema.fields ?? []).map((f) => ({
          field: f.field,
          schema: { ...f.schema, optional: f.schema.optional === true, ...(f.schema.fields ? { fields: f.schema.fields.map((g) => ({ field: g.field, schema: { ...g.schema, optional: false } })) } : {}) },
        })),
      });
    });

    it('hands back the same Schema object for every record of a stream', () => {
      const a = read(deserializer.deserialize(serializer.serialize(data, schema, call) as Buffer, call));
      const b = read(deserializer.deserialize(serializer.serialize({ ...data, id: 1n }, schema, call) as Buffer, call));
      expect(a.schema).toBe(b.schema);
    });

    it('writes nulls instead of defaults with replaceNullWithDefault: false', () => {
      const plain = serde({ schemas: true, replaceNullWithDefault: false });
      const optionalStatus: Schema = { type: 'struct', fields: [{ field: 'status', schema: { type: 'string', optional: true, default: 'new' } }] };
      expect(text(plain.serializer.serialize({ status: null }, optionalStatus, call))).toContain('"payload":{"status":null}');
      expect(read(plain.deserializer.deserialize(Buffer.from('{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"new","field":"status"}],"optional":false},"payload":{"status":null}}'), call)).data).toEqual({ status: null });
    });

    it('writes decimals as JSON numbers with decimalFormat: numeric', () => {
      const numeric = serde({ schemas: true, decimalFormat: 'numeric' });
      expect(text(numeric.serializer.serialize({ ...data, price: '1e1' }, schema, call))).toContain('"price":10.00,');
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['a required field is null', { id: null }, /serializing value of topic "orders" as JSON: id: null for a required int64 with no default/],
      ['an int16 is out of range', { qty: 40000 }, /qty: 40000 is out of range for int16/],
      ['an int64 number beyond 2^53', { id: 2 ** 60 }, /id: 1152921504606847000 is beyond 2\^53 and may have lost precision/],
      ['a string field holds a number', { note: 5 }, /note: expected a string, got a number/],
      ['a decimal has more places than its scale', { price: '1.234' }, /price: "1.234" has more than 2 decimal places/],
      ['a decimal is not a number', { price: 'abc' }, /price: "abc" is not a decimal number/],
      ['a Date is not at midnight', { day: new Date('2024-03-01T12:00:00Z') }, /day: a Date must fall on midnight UTC/],
      ['a nested field has the wrong type', { customer: { city: 1 } }, /customer\.city: expected a string, got a number/],
      ['the value has a field the schema lacks', { extra: 1 }, /value: has field "extra" that its schema does not declare/],
      ['a nested struct has a field the schema lacks', { customer: { city: 'x', zip: '1' } }, /customer: has field "zip"/],
    ])('fails with SERIALIZATION_FAILED when %s', async (_what, change, message) => {
      await failure(() => serializer.serialize({ ...data, ...change }, schema, call), 'SERIALIZATION_FAILED', message);
    });
  });

  describe('reading', () => {
    it.each<[string, string, RegExp]>([
      ['plain JSON', '{"id":1}', /an envelope needs exactly the properties "schema" and "payload"/],
      ['an envelope with extra properties', '{"schema":null,"payload":1,"x":2}', /exactly the properties "schema" and "payload"/],
      ['an array', '[1]', /exactly the properties/],
      ['an unknown schema type', '{"schema":{"type":"uuid"},"payload":"x"}', /schema: unknown type "uuid"/],
      ['a struct field without a name', '{"schema":{"type":"struct","fields":[{"type":"string"}]},"payload":{}}', /schema\.fields\[0\]: has no "field" name/],
      ['a payload of the wrong type', '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"n"}]},"payload":{"n":"1"}}', /n: expected an integer \(int32\), got a string/],
      ['a required field that is null', '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"n"}]},"payload":{}}', /n: null for a required int32/],
      ['bytes that are not base64', '{"schema":{"type":"bytes","optional":false},"payload":"not base64!"}', /value: not valid base64/],
      ['a Decimal without a scale', '{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal"},"payload":"AA=="}', /Decimal schema has no integer "scale" parameter/],
    ])('fails with DESERIALIZATION_FAILED on %s', async (_what, json, message) => {
      await failure(() => deserializer.deserialize(Buffer.from(json), call), 'DESERIALIZATION_FAILED', message);
    });

    it('ignores payload properties the schema does not declare, as Connect does', () => {
      const out = read(deserializer.deserialize(Buffer.from('{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"n"}]},"payload":{"n":1,"x":2}}'), call));
      expect(out.data).toStrictEqual({ n: 1 });
    });

    it('treats absent fields named like Object.prototype members as null, not as inherited values', () => {
      const schema: Schema = { type: 'struct', fields: ['constructor', 'toString', '__proto__'].map((field) => ({ field, schema: { type: 'string', optional: true } })) };
      const bytes = serializer.serialize({}, schema, call) as Buffer;
      expect(text(bytes)).toContain('"payload":{"constructor":null,"toString":null,"__proto__":null}');
      const back = read(deserializer.deserialize(Buffer.from(text(bytes).replace('"payload":{"constructor":null,"toString":null,"__proto__":null}', '"payload":{}')), call));
      expect(Object.entries(back.data as object)).toEqual([['constructor', null], ['toString', null], ['__proto__', null]]);
    });

    it('reads a map with non-string keys into a Map and writes it back as pairs', () => {
      const json = '{"schema":{"type":"map","keys":{"type":"int64","optional":false},"values":{"type":"string","optional":true},"optional":false},"payload":[[1,"a"],[2,null]]}';
      const out = read(deserializer.deserialize(Buffer.from(json), call));
      expect(out.data).toStrictEqual(new Map<number, string | null>([[1, 'a'], [2, null]]));
      expect(text(serializer.serialize(out.data, out.schema, call))).toBe(json);
      // A plain object for the same map is read by its keys.
      expect(text(serializer.serialize({ 1: 'a', 2: null }, out.schema, call))).toBe(json);
    });
  });

  describe('recognizing a repeated schema without re-parsing it', () => {
    const schemaText = '{"type":"struct","fields":[{"type":"int32","optional":false,"field":"n"}],"optional":false,"parameters":{"x":"1","payload":"tricky"}}';
    const message = (payload: string, tail = '}') => Buffer.from(`{"schema":${schemaText},"payload":${payload}${tail}`);

    it('reads later messages with the same schema to the same values and Schema object', () => {
      const fresh = serde({ schemas: true }).deserializer;
      const first = read(fresh.deserialize(message('{"n":1}'), call));
      const second = read(fresh.deserialize(message('{"n":2,"ignored":{"payload":1}}'), call));
      expect(second.data).toStrictEqual({ n: 2 });
      expect(second.schema).toBe(first.schema);
      expect(first.schema?.parameters).toEqual({ x: '1', payload: 'tricky' });
    });

    it.each<[string, string, string, RegExp]>([
      ['a third property after the payload', '1', ',"x":2}', /exactly the properties "schema" and "payload"/],
      ['a truncated payload', '{"n":', '}', /in JSON at position|Unexpected/],
      ['a payload of the wrong type', '{"n":"x"}', '}', /n: expected an integer \(int32\)/],
    ])('still rejects %s', async (_what, payload, tail, messageText) => {
      const fresh = serde({ schemas: true }).deserializer;
      fresh.deserialize(message('{"n":1}'), call);
      await failure(() => fresh.deserialize(message(payload, tail), call), 'DESERIALIZATION_FAILED', messageText);
    });

    it('takes the last of duplicate payloads, as Jackson (and so Connect) does', () => {
      const fresh = serde({ schemas: true }).deserializer;
      fresh.deserialize(message('{"n":1}'), call);
      expect(read(fresh.deserialize(message('{"n":1}', ',"payload":{"n":2}}'), call)).data).toStrictEqual({ n: 2 });
    });

    it('handles several interleaved schemas', () => {
      const fresh = serde({ schemas: true }).deserializer;
      const a = (n: number) => Buffer.from(`{"schema":{"type":"int32","optional":false},"payload":${n}}`);
      const b = (s: string) => Buffer.from(`{"schema":{"type":"string","optional":false},"payload":"${s}"}`);
      expect([a(1), b('x'), a(2), b('y')].map((m) => read(fresh.deserialize(m, call)).data)).toEqual([1, 'x', 2, 'y']);
    });
  });

  it('maps null data to null bytes even with a schema', () => {
    expect(serializer.serialize(null, { type: 'string', optional: true }, call)).toBeNull();
    expect(read(deserializer.deserialize(null, call))).toEqual({ data: null });
  });
});

describe('json serde spec', () => {
  it('defaults to plain JSON and rejects unknown options', () => {
    expect(pluginContext<JsonSerdeConfig>(jsonSerde.spec, {}).config).toEqual({ schemas: false, decimalFormat: 'base64', replaceNullWithDefault: true, schemaCacheSize: 1000 });
    expect(configAccepted(jsonSerde.spec, { 'schemas.enable': true })).toBe(false);
    expect(configAccepted(jsonSerde.spec, { decimalFormat: 'NUMERIC' })).toBe(false);
  });
});
