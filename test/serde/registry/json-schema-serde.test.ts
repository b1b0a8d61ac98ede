import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersShape } from '../../../connectors/datagen/orders.ts';
import { systemClock } from '../../../src/sdk/clock.ts';
import { TributaryError } from '../../../src/sdk/errors.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import type { Schema } from '../../../src/sdk/schema.ts';
import { connectToJsonSchema } from '../../../src/serde/json-schema-from-connect.ts';
import { jsonSchemaToConnect } from '../../../src/serde/json-schema-to-connect.ts';
import { jsonSchemaSerde } from '../../../src/serde/json-schema.ts';
import { DATE, DECIMAL, TIMESTAMP } from '../../../src/serde/logical-types.ts';
import { SchemaRegistryClient } from '../../../src/serde/registry/client.ts';
import { call, memoryRegistry, serdeContext } from './support.ts';

const row: Schema = {
  type: 'struct',
  name: 'shop.orders.Value',
  fields: [
    { field: 'id', schema: { type: 'int64' } },
    { field: 'qty', schema: { type: 'int16' } },
    { field: 'price', schema: { type: 'bytes', name: DECIMAL, version: 1, parameters: { scale: '2' } } },
    { field: 'day', schema: { type: 'int32', name: DATE, version: 1 } },
    { field: 'at', schema: { type: 'int64', name: TIMESTAMP, version: 1 } },
    { field: 'note', schema: { type: 'string', optional: true } },
    { field: 'blob', schema: { type: 'bytes', optional: true } },
    { field: 'tags', schema: { type: 'map', keys: { type: 'string' }, values: { type: 'int32' } } },
  ],
};

const value = {
  id: 9007199254740993n,
  qty: 3,
  price: '123456789012345678.90',
  day: new Date('2024-02-29T00:00:00Z'),
  at: new Date('2024-02-29T13:45:30.250Z'),
  note: null,
  blob: Buffer.from([1, 2, 3]),
  tags: { a: 1 },
};

describe('JSON Schema derived from a Connect schema', () => {
  it('describes the JSON the writer produces, with Confluent JsonSchemaData\'s annotations', () => {
    expect(connectToJsonSchema(row)).toEqual({
      type: 'object',
      title: 'shop.orders.Value',
      properties: {
        id: { type: 'integer', 'connect.type': 'int64', 'connect.index': 0 },
        qty: { type: 'integer', 'connect.type': 'int16', 'connect.index': 1 },
        price: { type: 'number', 'connect.type': 'bytes', title: DECIMAL, 'connect.version': 1, 'connect.parameters': { scale: '2' }, 'connect.index': 2 },
        day: { type: 'integer', 'connect.type': 'int32', title: DATE, 'connect.version': 1, 'connect.index': 3 },
        at: { type: 'integer', 'connect.type': 'int64', title: TIMESTAMP, 'connect.version': 1, 'connect.index': 4 },
        note: { oneOf: [{ type: 'null' }, { type: 'string' }], 'connect.index': 5 },
        blob: { oneOf: [{ type: 'null' }, { type: 'string', 'connect.type': 'bytes' }], 'connect.index': 6 },
        tags: { type: 'object', additionalProperties: { type: 'integer', 'connect.type': 'int32' }, 'connect.type': 'map', 'connect.index': 7 },
      },
      required: ['id', 'qty', 'price', 'day', 'at', 'tags'],
    });
  });

  it('reads back as the same Connect schema', () => {
    const back = jsonSchemaToConnect(connectToJsonSchema(row));
    expect(back.fields?.map((f) => [f.field, f.schema.type, f.schema.name, f.schema.optional])).toEqual(row.fields?.map((f) => [f.field, f.schema.type, f.schema.name, f.schema.optional === true]));
    expect(back.name).toBe('shop.orders.Value');
  });

  it('reads a hand-written schema plainly: integer → int64, number → float64, not required → optional', () => {
    expect(jsonSchemaToConnect({ type: 'object', properties: { n: { type: 'integer' }, x: { type: ['number', 'null'] }, s: { type: 'string' } }, required: ['n', 's'] })).toEqual({
      type: 'struct',
      optional: false,
      fields: [
        { field: 'n', schema: { type: 'int64', optional: false } },
        { field: 'x', schema: { type: 'float64', optional: true } },
        { field: 's', schema: { type: 'string', optional: false } },
      ],
    });
  });
});

describe('json-schema serde', () => {
  let registry: Awaited<ReturnType<typeof memoryRegistry>>;
  let client: SchemaRegistryClient;
  let dir: string;
  const make = (config: Record<string, unknown> = {}) => {
    const ctx = serdeContext(jsonSchemaSerde, { registry: registry.url, ...config }, { baseDir: dir });
    return { serializer: jsonSchemaSerde.createSerializer(ctx), deserializer: jsonSchemaSerde.createDeserializer(ctx) };
  };
  beforeAll(async () => {
    registry = await memoryRegistry();
    client = new SchemaRegistryClient({ urls: [registry.url], clock: systemClock, logger: silentLogger });
    dir = mkdtempSync(join(tmpdir(), 'tributary-json-schema-'));
  });
  afterAll(async () => {
    await registry.stop();
  });

  it('writes magic byte, schema id and JSON, registers a JSON schema, and reads the record back exactly', async () => {
    const { serializer, deserializer } = make();
    const bytes = (await serializer.serialize(value, row, call('orders'))) as Buffer;
    expect(bytes[0]).toBe(0);
    const registered = await client.version('orders-value', 'latest');
    expect(registered).toMatchObject({ id: bytes.readInt32BE(1), schemaType: 'JSON' });
    expect(bytes.subarray(5).toString()).toBe('{"id":9007199254740993,"qty":3,"price":123456789012345678.90,"day":19782,"at":1709214330250,"note":null,"blob":"AQID","tags":{"a":1}}');
    const read = await deserializer.deserialize(bytes, call('orders'));
    expect(read.data).toEqual(value);
    expect(read.schema?.name).toBe('shop.orders.Value');
  });

  it('is readable by @kafkajs/confluent-schema-registry, and reads what it writes', async () => {
    const { serializer, deserializer } = make();
    const order = ordersShape.generate(4, { seed: 3, userIds: 9 } as never);
    const bytes = (await serializer.serialize(order, ordersShape.valueSchema, call('kjs-orders'))) as Buffer;
    // Their ajv is strict by default and would refuse Confluent's connect.* annotations.
    const theirs = new SchemaRegistry({ host: registry.url }, { [SchemaType.JSON]: { strict: false } });
    expect(await theirs.decode(bytes)).toEqual(order);
    const { id } = await theirs.register(
      { type: SchemaType.JSON, schema: JSON.stringify({ type: 'object', properties: { n: { type: 'integer' }, s: { type: 'string' } }, required: ['n'] }) },
      { subject: 'kjs-in-value' },
    );
    const read = await deserializer.deserialize(await theirs.encode(id, { n: 1, s: 'x' }), call('kjs-in'));
    expect(read).toEqual({ data: { n: 1, s: 'x' }, schema: expect.objectContaining({ type: 'struct' }) });
  });

  it('refuses a record that does not match its schema with SERIALIZATION_FAILED naming the field', async () => {
    const { serializer } = make();
    const err = await Promise.resolve()
      .then(() => serializer.serialize({ ...value, qty: 100_000 }, row, call('orders')))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TributaryError);
    expect(err).toMatchObject({ code: 'SERIALIZATION_FAILED', message: expect.stringContaining('qty: 100000 is out of range for int16') });
  });

  it('validates against a schemaFile with ajv, naming the field that fails', async () => {
    writeFileSync(
      join(dir, 'event.json'),
      JSON.stringify({ title: 'app.Event', type: 'object', properties: { kind: { type: 'string', enum: ['click', 'view'] }, n: { type: 'integer', minimum: 0 } }, required: ['kind'], additionalProperties: false }),
    );
    const { serializer, deserializer } = make({ schemaFile: 'event.json', subjectNameStrategy: 'record' });
    const bytes = (await serializer.serialize({ kind: 'click', n: 2 }, undefined, call('events'))) as Buffer;
    expect(await client.version('app.Event', 'latest')).toMatchObject({ id: bytes.readInt32BE(1) });
    expect((await deserializer.deserialize(bytes, call('events'))).data).toEqual({ kind: 'click', n: 2 });
    for (const [bad, message] of [
      [{ kind: 'scroll' }, 'kind: must be equal to one of the allowed values'],
      [{ kind: 'view', n: -1 }, 'n: must be >= 0'],
      [{ n: 1 }, "value: must have required property 'kind'"],
      [{ kind: 'view', extra: true }, 'value: must NOT have additional properties (extra)'],
    ] as const) {
      expect(() => serializer.serialize(bad, undefined, call('events'))).toThrow(message);
    }
  });

  it('infers a schema for schemaless records', async () => {
    const { serializer, deserializer } = make();
    const bytes = (await serializer.serialize({ a: 1, b: ['x'] }, undefined, call('loose'))) as Buffer;
    expect(JSON.parse((await client.version('loose-value', 'latest')).schema)).toMatchObject({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'array' } } });
    expect((await deserializer.deserialize(bytes, call('loose'))).data).toEqual({ a: 1, b: ['x'] });
  });

  it('refuses an Avro schema id', async () => {
    const avroId = await client.register('avro-only-value', { schemaType: 'AVRO', schema: '"string"' });
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, avroId]), Buffer.from('"x"')]);
    await expect(Promise.resolve(make().deserializer.deserialize(framed, call('x')))).rejects.toMatchObject({ code: 'DESERIALIZATION_FAILED', message: expect.stringContaining('not a JSON Schema') });
  });
});
