import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/sdk/schema.ts';
import type { SerdeCallContext, SerdeContext } from '../../src/sdk/serde.ts';
import { jsonSerde, type JsonSerdeConfig } from '../../src/serde/json.ts';
import { JsonNumber, parseJson } from '../../src/sdk/json-text.ts';
import { pluginContext } from '../transforms/plugin-context.ts';

/**
 * Interop with Kafka Connect's JsonConverter (schemas.enable=true). The fixtures are the converter's
 * own output (see test/fixtures/connect-json/README.md); the values below are what the generator put
 * in, in Tributary's JS representation.
 */
const fixture = (name: string) => readFileSync(new URL(`../fixtures/connect-json/${name}`, import.meta.url));

function serde(config: Record<string, unknown> = {}) {
  const ctx: SerdeContext<JsonSerdeConfig> = { ...pluginContext<JsonSerdeConfig>(jsonSerde.spec, { schemas: true, ...config }), isKey: false };
  return { serializer: jsonSerde.createSerializer(ctx), deserializer: jsonSerde.createDeserializer(ctx) };
}

const call: SerdeCallContext = { topic: 't', isKey: false, headers: [] };

const DECIMAL = 'org.apache.kafka.connect.data.Decimal';

interface Case {
  file: string;
  data: unknown;
  /** A few facts about the schema read back; the full schema is checked by writing it out again. */
  schema?: Partial<Schema>;
  /** Our writer reproduces Connect's bytes exactly (true where JSON text formatting cannot differ). */
  identical: boolean;
  config?: Record<string, unknown>;
}

const logical = {
  price: '1234.56',
  refund: '-0.01',
  huge: '123456789012345678901234.5678',
  zero: '0.000',
  day: new Date('2024-02-29T00:00:00Z'),
  at: new Date('1970-01-01T13:45:30.250Z'),
  ts: new Date('2024-02-29T13:45:30.250Z'),
  landing: new Date('1969-07-20T20:17:40Z'),
  opt_price: null,
};

const cases: Case[] = [
  {
    file: 'primitives.json',
    data: {
      i8: -128,
      i16: 32767,
      i32: -2147483648,
      i64: 9007199254740993n,
      i64max: 9223372036854775807n,
      f32: 0.1,
      f64: 3.141592653589793,
      flag: true,
      text: 'h\u00e9llo "quoted" \\ \n \u2713 \u{1F600}',
      raw: Buffer.from([0, 1, 2, 0xfe, 0xff]),
    },
    schema: { type: 'struct', name: 'tributary.fixtures.Primitives', version: 2, doc: 'every primitive type', optional: false },
    // Jackson escapes the emoji as \uD83D\uDE00; we write it as UTF-8. Same JSON value.
    identical: false,
  },
  {
    file: 'optional-nulls.json',
    // with_default and label were null/unset in Java: Connect wrote their defaults.
    data: { id: 1, opt_str: null, opt_i64: null, opt_struct: null, opt_array: null, with_default: 42, label: 'none' },
    schema: { name: 'tributary.fixtures.Optionals' },
    identical: true,
  },
  {
    file: 'nested.json',
    data: {
      id: 1001,
      customer: { name: 'Ann', address: { city: 'Lyon', zip: null } },
      tags: ['new', 'priority'],
      lines: [
        { sku: 'A-1', qty: 2 },
        { sku: 'B-2', qty: 1 },
      ],
      attrs: { channel: 'web', coupon: 'SPRING' },
      counts: new Map([
        [1, 10],
        [-7, 5000000000],
      ]),
    },
    schema: { name: 'tributary.fixtures.Order' },
    identical: true,
  },
  { file: 'logical.json', data: logical, schema: { name: 'tributary.fixtures.Logical' }, identical: true },
  // Connect wrote 0.000 for zero; we write the same digits, so even the numeric form matches.
  { file: 'logical-numeric.json', data: logical, config: { decimalFormat: 'numeric' }, identical: true },
  { file: 'int64-key.json', data: 42, schema: { type: 'int64', optional: false }, identical: true },
  // Connect writes 1.0 for a double; JS numbers print as 1.
  { file: 'top-level-array.json', data: [1, null, 2.5], schema: { type: 'array', items: { type: 'float64', optional: true }, optional: false }, identical: false },
];

describe('json serde interop with Kafka Connect JsonConverter', () => {
  describe.each(cases)('$file', ({ file, data, schema, identical, config }) => {
    const { serializer, deserializer } = serde(config);

    it('reads to the values Connect was given', () => {
      const out = deserializer.deserialize(fixture(file), call) as { data: unknown; schema?: Schema };
      expect(out.data).toStrictEqual(data);
      if (schema !== undefined) expect(out.schema).toMatchObject(schema);
    });

    it('writes JSON with the same structure as Connect', () => {
      const read = deserializer.deserialize(fixture(file), call) as { data: unknown; schema: Schema };
      const ours = serializer.serialize(read.data, read.schema, call) as Buffer;
      expect(parseJson(ours.toString('utf8'), { exactDecimals: true })).toStrictEqual(parseJson(fixture(file).toString('utf8'), { exactDecimals: true }));
      if (identical) expect(ours.toString('utf8')).toBe(fixture(file).toString('utf8'));
    });
  });

  it('reads the Decimal bytes Connect wrote, including a value past 2^64', () => {
    const envelope = parseJson(fixture('logical.json').toString('utf8')) as { payload: Record<string, unknown>; schema: { fields: Array<Record<string, unknown>> } };
    expect(envelope.payload.price).toBe('AeJA'); // 123456 in two's complement
    expect(envelope.payload.refund).toBe('/w=='); // -1
    expect(envelope.schema.fields[0]).toMatchObject({ name: DECIMAL, parameters: { scale: '2' } });
  });

  it('keeps Connect numeric decimals exact', () => {
    const raw = parseJson(fixture('logical-numeric.json').toString('utf8'), { exactDecimals: true }) as { payload: Record<string, unknown> };
    expect(raw.payload.huge).toEqual(new JsonNumber('123456789012345678901234.5678'));
  });

  it('reads a null payload with an optional schema as null data with that schema', () => {
    const out = serde().deserializer.deserialize(fixture('null-optional.json'), call);
    expect(out).toEqual({ data: null, schema: { type: 'string', optional: true } });
  });

  it('reads a schemaless envelope as plain data without a schema', () => {
    const out = serde().deserializer.deserialize(fixture('schemaless.json'), call);
    expect(out).toStrictEqual({ data: { a: 1, b: [true, null], c: { d: 'x' } } });
  });

  it('writes data it infers a schema for so that the payload matches Connect schemaless', () => {
    const ours = serde().serializer.serialize({ a: 1, b: [true, null], c: { d: 'x' } }, undefined, call) as Buffer;
    const parsed = JSON.parse(ours.toString('utf8')) as { payload: unknown };
    expect(parsed.payload).toEqual((JSON.parse(fixture('schemaless.json').toString('utf8')) as { payload: unknown }).payload);
  });
});
