import { describe, expect, it } from 'vitest';
import type { Schema } from '../../../src/sdk/schema.ts';
import { connectToAvro } from '../../../src/serde/avro-from-connect.ts';
import { UnsupportedAvroSchema, avroToConnect } from '../../../src/serde/avro-to-connect.ts';
import { avroType } from '../../../src/serde/avro-types.ts';
import { DATE, DECIMAL, TIME, TIMESTAMP } from '../../../src/serde/logical-types.ts';

/** A Debezium MySQL change event's value schema for `inventory.customers`, as the binlog source attaches it. */
const row: Schema = {
  type: 'struct',
  optional: true,
  name: 'dbserver1.inventory.customers.Value',
  fields: [
    { field: 'id', schema: { type: 'int32' } },
    { field: 'email', schema: { type: 'string' } },
    { field: 'balance', schema: { type: 'bytes', optional: true, name: DECIMAL, version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' } } },
    { field: 'born', schema: { type: 'int32', optional: true, name: 'io.debezium.time.Date', version: 1 } },
    { field: 'wakes', schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTime', version: 1 } },
    { field: 'seen', schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', version: 1 } },
    { field: 'kind', schema: { type: 'string', optional: true, name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'a,b' }, default: 'a' } },
  ],
};

const envelope: Schema = {
  type: 'struct',
  name: 'dbserver1.inventory.customers.Envelope',
  version: 1,
  fields: [
    { field: 'before', schema: row },
    { field: 'after', schema: row },
    { field: 'op', schema: { type: 'string' } },
    { field: 'ts_ms', schema: { type: 'int64', optional: true } },
  ],
};

describe('Connect schema → Avro schema', () => {
  it('writes a Debezium envelope as Debezium with AvroConverter would: named records, nullable unions, logical types, connect.* properties', () => {
    const value = {
      type: 'record',
      name: 'dbserver1.inventory.customers.Value',
      fields: [
        { name: 'id', type: 'int' },
        { name: 'email', type: 'string' },
        {
          name: 'balance',
          type: ['null', { type: 'bytes', scale: 2, precision: 10, 'connect.version': 1, 'connect.parameters': { scale: '2', 'connect.decimal.precision': '10' }, 'connect.name': DECIMAL, logicalType: 'decimal' }],
          default: null,
        },
        { name: 'born', type: ['null', { type: 'int', 'connect.version': 1, 'connect.name': 'io.debezium.time.Date', logicalType: 'date' }], default: null },
        { name: 'wakes', type: ['null', { type: 'long', 'connect.version': 1, 'connect.name': 'io.debezium.time.MicroTime', logicalType: 'time-micros' }], default: null },
        { name: 'seen', type: ['null', { type: 'long', 'connect.version': 1, 'connect.name': 'io.debezium.time.MicroTimestamp', logicalType: 'timestamp-micros' }], default: null },
        // A default makes its branch come first: Avro takes a union's default from its first branch.
        { name: 'kind', type: [{ type: 'string', 'connect.version': 1, 'connect.parameters': { allowed: 'a,b' }, 'connect.name': 'io.debezium.data.Enum' }, 'null'], default: 'a' },
      ],
    };
    expect(connectToAvro(envelope, 'ignored.Value')).toEqual({
      type: 'record',
      name: 'dbserver1.inventory.customers.Envelope',
      fields: [
        { name: 'before', type: ['null', value], default: null },
        // The second use of a name refers to the first definition.
        { name: 'after', type: ['null', 'dbserver1.inventory.customers.Value'], default: null },
        { name: 'op', type: 'string' },
        { name: 'ts_ms', type: ['null', 'long'], default: null },
      ],
      'connect.version': 1,
    });
  });

  it('names an unnamed top-level struct after the topic, and nested ones after their field', () => {
    const schema: Schema = { type: 'struct', fields: [{ field: 'address', schema: { type: 'struct', fields: [{ field: 'zip', schema: { type: 'string' } }] } }] };
    expect(connectToAvro(schema, 'shop-eu.orders.Value')).toEqual({
      type: 'record',
      name: 'shop_eu.orders.Value',
      fields: [{ name: 'address', type: { type: 'record', name: 'shop_eu.orders.Value.address', fields: [{ name: 'zip', type: 'string' }] } }],
    });
  });

  it('keeps int8/int16 with connect.type and writes Connect defaults in Avro\'s JSON encoding', () => {
    const schema: Schema = {
      type: 'struct',
      name: 'x.Defaults',
      fields: [
        { field: 'tiny', schema: { type: 'int8', default: -3 } },
        { field: 'raw', schema: { type: 'bytes', default: Buffer.from([0, 255]) } },
        { field: 'price', schema: { type: 'bytes', name: DECIMAL, parameters: { scale: '2' }, default: '1.50' } },
        { field: 'day', schema: { type: 'int32', name: DATE, default: new Date('1970-01-03T00:00:00Z') } },
      ],
    };
    const avro = connectToAvro(schema, '') as { fields: Array<{ name: string; type: unknown; default?: unknown }> };
    expect(avro.fields.map((f) => [f.name, f.type, f.default])).toEqual([
      ['tiny', { type: 'int', 'connect.type': 'int8' }, -3],
      ['raw', 'bytes', '\u0000\u00ff'],
      ['price', { type: 'bytes', scale: 2, precision: 64, 'connect.parameters': { scale: '2' }, 'connect.name': DECIMAL, logicalType: 'decimal' }, '\u0000\u0096'],
      ['day', { type: 'int', 'connect.name': DATE, logicalType: 'date' }, 2],
    ]);
    // avsc accepts every default (it checks them against the types).
    expect(() => avroType(avro)).not.toThrow();
  });

  it('turns AvroData\'s enum parameters back into an enum', () => {
    const schema: Schema = { type: 'string', parameters: { 'io.confluent.connect.avro.Enum': 'shop.Status', 'io.confluent.connect.avro.Enum.ACTIVE': 'ACTIVE', 'io.confluent.connect.avro.Enum.GONE': 'GONE' } };
    expect(connectToAvro(schema, '')).toMatchObject({ type: 'enum', name: 'shop.Status', symbols: ['ACTIVE', 'GONE'] });
  });

  it.each([
    ['a field name Avro cannot hold', { type: 'struct', name: 'a.B', fields: [{ field: 'first-name', schema: { type: 'string' } }] }, /first-name: "first-name" is not a valid Avro field name/],
    ['a map with int keys', { type: 'struct', name: 'a.B', fields: [{ field: 'm', schema: { type: 'map', keys: { type: 'int32' }, values: { type: 'string' } } }] }, /m: Avro maps have string keys/],
    [
      'two different structs under one name',
      { type: 'struct', name: 'a.B', fields: [{ field: 'x', schema: { type: 'struct', name: 'a.C', fields: [] } }, { field: 'y', schema: { type: 'struct', name: 'a.C', fields: [{ field: 'z', schema: { type: 'int32' } }] } }] },
      /y: two different structs are both named "a.C"/,
    ],
    ['a Decimal without a scale', { type: 'bytes', name: DECIMAL }, /Decimal has no valid "scale"/],
  ] as const)('refuses %s, naming where', (_what, schema, message) => {
    expect(() => connectToAvro(schema as Schema, '')).toThrow(message);
  });
});

describe('Avro schema → Connect schema', () => {
  it('restores the Connect schema it came from', () => {
    const avro = connectToAvro(envelope, '');
    const back = avroToConnect(avro, avroType(avro));
    const required = (s: Schema): Schema => ({ ...s, optional: s.optional === true });
    const normalize = (s: Schema): Schema => {
      const out: Schema = required(s);
      if (s.fields) out.fields = s.fields.map((f) => ({ field: f.field, schema: normalize(f.schema) }));
      return out;
    };
    expect(back).toEqual(normalize(envelope));
    // Both uses of the row schema are the same object, so per-schema caches downstream hit for both.
    expect(back.fields?.[0]?.schema.fields).toBe(back.fields?.[1]?.schema.fields);
  });

  it('reads plain Avro logical types as Connect\'s and Debezium\'s types', () => {
    const avro = {
      type: 'record',
      name: 'Plain',
      namespace: 'java',
      fields: [
        { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 3 } },
        { name: 'fixed_amount', type: { type: 'fixed', name: 'Amount', size: 8, logicalType: 'decimal', precision: 18, scale: 0 } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
        { name: 'at', type: { type: 'int', logicalType: 'time-millis' } },
        { name: 'at_us', type: { type: 'long', logicalType: 'time-micros' } },
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'ts_us', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['A', 'B'] } },
        { name: 'tags', type: { type: 'map', values: { type: 'array', items: 'string' } } },
        { name: 'nested', type: { type: 'record', name: 'Inner', fields: [{ name: 'n', type: 'float', default: 1.5 }] } },
        { name: 'again', type: ['null', 'Inner'], default: null },
      ],
    };
    const schema = avroToConnect(avro, avroType(avro));
    const byName = Object.fromEntries((schema.fields ?? []).map((f) => [f.field, f.schema]));
    expect(schema.name).toBe('java.Plain');
    expect(byName.amount).toEqual({ type: 'bytes', optional: false, name: DECIMAL, version: 1, parameters: { scale: '3', 'connect.decimal.precision': '9' } });
    expect(byName.fixed_amount).toMatchObject({ type: 'bytes', name: DECIMAL, parameters: { scale: '0', 'connect.decimal.precision': '18' } });
    expect(byName.day).toMatchObject({ type: 'int32', name: DATE });
    expect(byName.at).toMatchObject({ type: 'int32', name: TIME });
    expect(byName.at_us).toMatchObject({ type: 'int64', name: 'io.debezium.time.MicroTime' });
    expect(byName.ts).toMatchObject({ type: 'int64', name: TIMESTAMP });
    expect(byName.ts_us).toMatchObject({ type: 'int64', name: 'io.debezium.time.MicroTimestamp' });
    expect(byName.status).toEqual({ type: 'string', optional: false, parameters: { 'io.confluent.connect.avro.Enum': 'java.Status', 'io.confluent.connect.avro.Enum.A': 'A', 'io.confluent.connect.avro.Enum.B': 'B' } });
    expect(byName.tags).toEqual({ type: 'map', optional: false, keys: { type: 'string', optional: false }, values: { type: 'array', optional: false, items: { type: 'string', optional: false } } });
    expect(byName.nested).toEqual({ type: 'struct', optional: false, name: 'java.Inner', fields: [{ field: 'n', schema: { type: 'float32', optional: false, default: 1.5 } }] });
    expect(byName.again).toMatchObject({ type: 'struct', optional: true, name: 'java.Inner' });
  });

  it.each([
    ['a union of several types', ['null', 'int', 'string']],
    ['a recursive record', { type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'], default: null }] }],
  ])('reports %s as having no Connect equivalent', (_what, avro) => {
    expect(() => avroToConnect(avro as never, avroType(avro as never))).toThrow(UnsupportedAvroSchema);
  });
});
