import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersShape } from '../../../connectors/datagen/orders.ts';
import { usersShape } from '../../../connectors/datagen/users.ts';
import { TributaryError } from '../../../src/sdk/errors.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import type { Schema } from '../../../src/sdk/schema.ts';
import { systemClock } from '../../../src/sdk/clock.ts';
import { avroSerde } from '../../../src/serde/avro.ts';
import { SchemaRegistryClient } from '../../../src/serde/registry/client.ts';
import { DATE, DECIMAL, TIME, TIMESTAMP } from '../../../src/serde/logical-types.ts';
import { call, memoryRegistry, serdeContext, servicesFor } from '../registry/support.ts';

/** Every logical type Tributary's sources produce, with values at the edges of their ranges. */
const everyType: Schema = {
  type: 'struct',
  name: 'torture.types.Value',
  fields: [
    { field: 'i8', schema: { type: 'int8' } },
    { field: 'i16', schema: { type: 'int16' } },
    { field: 'i32', schema: { type: 'int32' } },
    { field: 'i64_small', schema: { type: 'int64' } },
    { field: 'i64_max', schema: { type: 'int64' } },
    { field: 'i64_min', schema: { type: 'int64' } },
    { field: 'f32', schema: { type: 'float32' } },
    { field: 'f64', schema: { type: 'float64' } },
    { field: 'flag', schema: { type: 'boolean' } },
    { field: 'text', schema: { type: 'string' } },
    { field: 'raw', schema: { type: 'bytes' } },
    { field: 'price', schema: { type: 'bytes', name: DECIMAL, version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' } } },
    { field: 'huge', schema: { type: 'bytes', name: DECIMAL, version: 1, parameters: { scale: '4', 'connect.decimal.precision': '38' } } },
    { field: 'refund', schema: { type: 'bytes', optional: true, name: DECIMAL, version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' } } },
    { field: 'day', schema: { type: 'int32', name: DATE, version: 1 } },
    { field: 'at', schema: { type: 'int32', name: TIME, version: 1 } },
    { field: 'ts', schema: { type: 'int64', name: TIMESTAMP, version: 1 } },
    { field: 'dbz_date', schema: { type: 'int32', name: 'io.debezium.time.Date', version: 1 } },
    { field: 'dbz_time_us', schema: { type: 'int64', name: 'io.debezium.time.MicroTime', version: 1 } },
    { field: 'dbz_ts_ms', schema: { type: 'int64', name: 'io.debezium.time.Timestamp', version: 1 } },
    { field: 'dbz_ts_us', schema: { type: 'int64', name: 'io.debezium.time.MicroTimestamp', version: 1 } },
    { field: 'dbz_ts_us_far', schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', version: 1 } },
    { field: 'tags', schema: { type: 'array', items: { type: 'string' } } },
    { field: 'attrs', schema: { type: 'map', keys: { type: 'string' }, values: { type: 'int32', optional: true } } },
    { field: 'address', schema: { type: 'struct', optional: true, name: 'torture.types.Address', fields: [{ field: 'zip', schema: { type: 'string' } }] } },
    { field: 'note', schema: { type: 'string', optional: true } },
  ],
};

const everyValue = {
  i8: -128,
  i16: 32767,
  i32: -2147483648,
  i64_small: 42,
  i64_max: 9223372036854775807n,
  i64_min: -9223372036854775808n,
  f32: 1.5,
  f64: -0.1,
  flag: true,
  text: 'h\u00e9llo \u{1F600}',
  raw: Buffer.from([0, 1, 254, 255]),
  price: '-12345678.90',
  huge: '1234567890123456789012345678901234.5678',
  refund: null,
  day: new Date('1969-07-20T00:00:00Z'),
  at: new Date('1970-01-01T23:59:59.999Z'),
  ts: new Date('2024-02-29T13:45:30.250Z'),
  dbz_date: -1,
  dbz_time_us: 86_399_999_999,
  dbz_ts_ms: 1_709_214_330_250,
  dbz_ts_us: 1_709_214_330_250_123,
  dbz_ts_us_far: 9_007_199_254_740_993n,
  tags: ['a', ''],
  attrs: { x: 1, y: null },
  address: { zip: '75001' },
  note: null,
};

describe('avro serde', () => {
  let registry: Awaited<ReturnType<typeof memoryRegistry>>;
  let client: SchemaRegistryClient;
  let dir: string;
  const make = (config: Record<string, unknown> = {}, isKey = false) => {
    const ctx = serdeContext(avroSerde, { registry: registry.url, ...config }, { isKey, baseDir: dir });
    return { serializer: avroSerde.createSerializer(ctx), deserializer: avroSerde.createDeserializer(ctx) };
  };
  beforeAll(async () => {
    registry = await memoryRegistry();
    client = new SchemaRegistryClient({ urls: [registry.url], clock: systemClock, logger: silentLogger });
    dir = mkdtempSync(join(tmpdir(), 'tributary-avro-'));
  });
  afterAll(async () => {
    await registry.stop();
  });

  it('round-trips every logical type in the Confluent wire format, registered under <topic>-value', async () => {
    const { serializer, deserializer } = make();
    const bytes = (await serializer.serialize(everyValue, everyType, call('torture'))) as Buffer;
    expect(bytes[0]).toBe(0);
    const registered = await client.version('torture-value', 'latest');
    expect(bytes.readInt32BE(1)).toBe(registered.id);
    expect(JSON.parse(registered.schema)).toMatchObject({ type: 'record', name: 'torture.types.Value' });
    const read = await deserializer.deserialize(bytes, call('torture'));
    expect({ ...(read.data as object) }).toEqual({ ...everyValue, address: { zip: '75001' } });
    expect(read.schema?.name).toBe('torture.types.Value');
    expect(read.schema?.fields?.map((f) => [f.field, f.schema.type, f.schema.name])).toEqual(everyType.fields?.map((f) => [f.field, f.schema.type, f.schema.name]));
  });

  it('round-trips datagen users and orders, and their keys', async () => {
    const { serializer, deserializer } = make();
    const keys = make({}, true);
    for (const shape of [usersShape, ordersShape]) {
      for (let id = 1; id <= 20; id++) {
        const value = shape.generate(id, { seed: 7, userIds: 50 } as never);
        const bytes = (await serializer.serialize(value, shape.valueSchema, call(`datagen.${shape.kind}`))) as Buffer;
        const read = await deserializer.deserialize(bytes, call(`datagen.${shape.kind}`));
        const expected = shape.kind === 'users' ? { ...value, created_at: new Date(value.created_at as number) } : { ...value, ts: new Date(value.ts as number) };
        expect({ ...(read.data as object) }).toEqual(expected);
        const key = (await keys.serializer.serialize(String(id), { type: 'string' }, call(`datagen.${shape.kind}`, true))) as Buffer;
        expect((await keys.deserializer.deserialize(key, call(`datagen.${shape.kind}`, true))).data).toBe(String(id));
      }
    }
    expect(await client.subjects()).toEqual(expect.arrayContaining(['datagen.users-value', 'datagen.users-key', 'datagen.orders-value']));
  });

  it('answers synchronously once the schema id is known', async () => {
    const { serializer, deserializer } = make();
    const value = usersShape.generate(1, { seed: 1 } as never);
    const first = serializer.serialize(value, usersShape.valueSchema, call('sync'));
    expect(first).toBeInstanceOf(Promise);
    const bytes = (await first) as Buffer;
    expect(Buffer.isBuffer(serializer.serialize(value, usersShape.valueSchema, call('sync')))).toBe(true);
    await deserializer.deserialize(bytes, call('sync'));
    expect(deserializer.deserialize(bytes, call('sync'))).not.toBeInstanceOf(Promise);
  });

  it('writes null as a tombstone and reads it back as null', async () => {
    const { serializer, deserializer } = make();
    expect(serializer.serialize(null, usersShape.valueSchema, call('t'))).toBeNull();
    expect(deserializer.deserialize(null, call('t'))).toEqual({ data: null });
  });

  it('infers a schema, named <topic>.Value, for a record that has none', async () => {
    const { serializer, deserializer } = make();
    const bytes = (await serializer.serialize({ id: 1, tags: ['x'], price: 2.5, gone: null }, undefined, call('loose-events'))) as Buffer;
    const read = await deserializer.deserialize(bytes, call('loose-events'));
    expect({ ...(read.data as object) }).toEqual({ id: 1, tags: ['x'], price: 2.5, gone: null });
    expect(read.schema?.name).toBe('loose_events.Value');
  });

  it.each([
    ['a mistyped field', { ...usersShape.generate(1, { seed: 1 } as never), age: 'old' }, /age: a string is not a valid int/],
    ['a missing required field', { ...usersShape.generate(1, { seed: 1 } as never), email: undefined }, /email: undefined is not a valid string/],
    ['a field the schema does not declare', { ...usersShape.generate(1, { seed: 1 } as never), vip: true }, /vip: not a field of the Avro schema tributary\.datagen\.User/],
  ])('refuses %s with SERIALIZATION_FAILED naming it', async (_what, value, message) => {
    const { serializer } = make();
    const err = await Promise.resolve()
      .then(() => serializer.serialize(value, usersShape.valueSchema, call('bad')))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TributaryError);
    expect(err).toMatchObject({ code: 'SERIALIZATION_FAILED', retriable: false, message: expect.stringMatching(message) });
  });

  it('refuses an incompatible schema change, naming the field, and accepts a compatible one', async () => {
    const { serializer } = make();
    const v1: Schema = { type: 'struct', name: 'shop.Item', fields: [{ field: 'id', schema: { type: 'int64' } }] };
    await serializer.serialize({ id: 1 }, v1, call('items'));
    const required: Schema = { ...v1, fields: [...(v1.fields ?? []), { field: 'sku', schema: { type: 'string' } }] };
    await expect(Promise.resolve(serializer.serialize({ id: 2, sku: 'x' }, required, call('items')))).rejects.toMatchObject({
      code: 'SERIALIZATION_FAILED',
      message: expect.stringMatching(/incompatible.*field "sku" has no default value/),
    });
    // A nullable column, as CDC adds one: evolves compatibly.
    const nullable: Schema = { ...v1, fields: [...(v1.fields ?? []), { field: 'sku', schema: { type: 'string', optional: true } }] };
    const bytes = (await serializer.serialize({ id: 3, sku: 'y' }, nullable, call('items'))) as Buffer;
    expect((await client.version('items-value', 2)).id).toBe(bytes.readInt32BE(1));
  });

  it('names subjects by record and topic-record strategies', async () => {
    const byRecord = make({ subjectNameStrategy: 'record' });
    const byTopicRecord = make({ subjectNameStrategy: 'topic-record' });
    await byRecord.serializer.serialize(usersShape.generate(1, { seed: 1 } as never), usersShape.valueSchema, call('strategy'));
    await byTopicRecord.serializer.serialize(usersShape.generate(1, { seed: 1 } as never), usersShape.valueSchema, call('strategy'));
    expect(await client.subjects()).toEqual(expect.arrayContaining(['tributary.datagen.User', 'strategy-tributary.datagen.User']));
    const keys = make({ subjectNameStrategy: 'record' }, true);
    await expect(Promise.resolve().then(() => keys.serializer.serialize('1', { type: 'string' }, call('strategy', true)))).rejects.toMatchObject({
      code: 'SERIALIZATION_FAILED',
      message: expect.stringContaining('needs a named record schema'),
    });
  });

  it('with autoRegister false, writes only schemas already registered', async () => {
    const { serializer } = make({ autoRegister: false });
    const schema: Schema = { type: 'struct', name: 'shop.Manual', fields: [{ field: 'id', schema: { type: 'int64' } }] };
    await expect(Promise.resolve(serializer.serialize({ id: 1 }, schema, call('manual')))).rejects.toMatchObject({ message: expect.stringContaining('not registered under subject "manual-value"') });
    const id = await client.register('manual-value', { schemaType: 'AVRO', schema: '{"type":"record","name":"shop.Manual","fields":[{"name":"id","type":"long"}]}' });
    expect(((await serializer.serialize({ id: 1 }, schema, call('manual'))) as Buffer).readInt32BE(1)).toBe(id);
  });

  it('writes with a schemaFile (relative to the pipeline folder) and reads into another one, resolving the difference', async () => {
    writeFileSync(join(dir, 'person-v1.avsc'), JSON.stringify({ type: 'record', name: 'Person', namespace: 'hr', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }] }));
    writeFileSync(
      join(dir, 'person-v2.avsc'),
      JSON.stringify({ type: 'record', name: 'Person', namespace: 'hr', fields: [{ name: 'id', type: 'long' }, { name: 'full_name', type: 'string', aliases: ['name'] }, { name: 'email', type: 'string', default: 'none' }] }),
    );
    writeFileSync(join(dir, 'person-strict.avsc'), JSON.stringify({ type: 'record', name: 'Person', namespace: 'hr', fields: [{ name: 'id', type: 'long' }, { name: 'badge', type: 'int' }] }));
    const writer = make({ schemaFile: 'person-v1.avsc' });
    // The record's own schema is ignored: the file decides.
    const bytes = (await writer.serializer.serialize({ id: 5, name: 'Ada' }, usersShape.valueSchema, call('people'))) as Buffer;
    const read = await make({ schemaFile: 'person-v2.avsc' }).deserializer.deserialize(bytes, call('people'));
    expect({ ...(read.data as object) }).toEqual({ id: 5, full_name: 'Ada', email: 'none' });
    expect(read.schema?.fields?.map((f) => f.field)).toEqual(['id', 'full_name', 'email']);
    await expect(Promise.resolve().then(() => make({ schemaFile: 'person-strict.avsc' }).deserializer.deserialize(bytes, call('people')))).rejects.toMatchObject({
      code: 'DESERIALIZATION_FAILED',
      message: expect.stringContaining('field "badge" has no default value'),
    });
    expect(() => make({ schemaFile: 'missing.avsc' })).toThrow(/schemaFile: cannot read .*missing\.avsc/);
  });

  it('refuses bytes that are not in the wire format, unknown ids and JSON Schema ids', async () => {
    const { deserializer } = make();
    expect(() => deserializer.deserialize(Buffer.from('{"id":1}'), call('x'))).toThrow(/unknown magic byte 123/);
    await expect(Promise.resolve(deserializer.deserialize(Buffer.from([0, 0, 0, 0x7f, 0xff, 2]), call('x')))).rejects.toMatchObject({ code: 'DESERIALIZATION_FAILED', message: expect.stringContaining('32767 not found') });
    const jsonId = await client.register('json-only-value', { schemaType: 'JSON', schema: '{"type":"object"}' });
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, jsonId]), Buffer.from('{}')]);
    await expect(Promise.resolve(deserializer.deserialize(framed, call('x')))).rejects.toMatchObject({ message: expect.stringContaining('not Avro') });
  });

  it('reports an unreachable registry as a retriable failure, not as a bad record', async () => {
    const ctx = serdeContext(avroSerde, { registry: 'http://127.0.0.1:1' });
    ctx.clock = { now: () => 0, sleep: async () => undefined };
    const err = await Promise.resolve(avroSerde.createSerializer(ctx).serialize({ id: 1 }, { type: 'struct', name: 'a.B', fields: [{ field: 'id', schema: { type: 'int32' } }] }, call('x'))).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERIALIZATION_FAILED', retriable: true, message: expect.stringContaining('127.0.0.1:1') });
  });

  it('needs the runtime for registry: embedded, and then starts it through the services', async () => {
    expect(() => avroSerde.createSerializer(serdeContext(avroSerde, {}))).toThrow(/registry: "embedded" needs the pipeline runtime/);
    const services = servicesFor(registry.url);
    const ctx = serdeContext(avroSerde, { registry: 'embedded', registryPort: 0 }, { services });
    const serializer = avroSerde.createSerializer(ctx);
    expect(services.starts).toBe(0);
    await serializer.serialize('k', { type: 'string' }, call('embedded-start'));
    await serializer.serialize('k', { type: 'string' }, call('embedded-start'));
    expect(services.starts).toBe(1);
    expect(() => avroSerde.createSerializer(serdeContext(avroSerde, { registry: 'not a url' }))).toThrow(/registry: "not a url" is neither "embedded" nor a valid http\(s\) URL/);
  });
});
