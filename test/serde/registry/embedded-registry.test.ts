import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { EmbeddedSchemaRegistry } from '../../../src/serde/registry/embedded-registry.ts';
import { MemorySchemaLog, type SchemaLog } from '../../../src/serde/registry/schema-log.ts';
import { SchemaState, type SchemaLogRecord } from '../../../src/serde/registry/schema-state.ts';
import { memoryRegistry } from './support.ts';

/** The REST API as Confluent's clients see it: paths, bodies, status and error codes. */
const avro = (name: string, fields: object[] = [{ name: 'id', type: 'long' }]): string => JSON.stringify({ type: 'record', name, namespace: 'test', fields });

interface Answer {
  status: number;
  body: unknown;
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${base}${path}`, init);
  expect(res.headers.get('content-type')).toBe('application/vnd.schemaregistry.v1+json');
  return { status: res.status, body: await res.json() };
}

describe('embedded schema registry REST API', () => {
  let registry: Awaited<ReturnType<typeof memoryRegistry>>;
  let url: string;
  const api = (method: string, path: string, body?: unknown): Promise<Answer> => call(url, method, path, body);
  beforeAll(async () => {
    registry = await memoryRegistry();
    url = registry.url;
  });
  afterAll(async () => {
    await registry.stop();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('gives a schema one global id, and a subject a new version only for a new schema', async () => {
    const a = await api('POST', '/subjects/orders-value/versions', { schema: avro('Order') });
    expect(a).toEqual({ status: 200, body: { id: expect.any(Number) } });
    const id = (a.body as { id: number }).id;
    // Same schema, other whitespace: same id, no new version.
    expect((await api('POST', '/subjects/orders-value/versions', { schema: `  ${avro('Order')}` })).body).toEqual({ id });
    expect((await api('GET', '/subjects/orders-value/versions')).body).toEqual([1]);
    // Same schema under another subject: the same id.
    expect((await api('POST', '/subjects/other-value/versions', { schema: avro('Order') })).body).toEqual({ id });
    // A new schema: the next id, version 2.
    const next = await api('POST', '/subjects/orders-value/versions', { schema: avro('Order', [{ name: 'id', type: 'long' }, { name: 'note', type: ['null', 'string'], default: null }]) });
    expect(next.body).toEqual({ id: id + 1 });
    expect((await api('GET', '/subjects/orders-value/versions')).body).toEqual([1, 2]);
    expect((await api('GET', '/schemas/ids/' + id + '/versions')).body).toEqual([
      { subject: 'orders-value', version: 1 },
      { subject: 'other-value', version: 1 },
    ]);
  });

  it('serves schemas by id and by subject version, AVRO without a schemaType and JSON with one', async () => {
    const { body } = await api('POST', '/subjects/typed-value/versions', { schemaType: 'JSON', schema: '{"type":"object","properties":{"a":{"type":"integer"}}}' });
    const id = (body as { id: number }).id;
    expect((await api('GET', `/schemas/ids/${id}`)).body).toEqual({ schemaType: 'JSON', schema: '{"type":"object","properties":{"a":{"type":"integer"}}}' });
    expect((await api('GET', `/schemas/ids/${id}/schema`)).body).toEqual({ type: 'object', properties: { a: { type: 'integer' } } });
    const latest = await api('GET', '/subjects/orders-value/versions/latest');
    expect(latest.body).toEqual({ subject: 'orders-value', version: 2, id: expect.any(Number), schema: expect.stringContaining('"note"') });
    expect(latest.body).not.toHaveProperty('schemaType');
    expect((await api('GET', '/subjects/orders-value/versions/1')).body).toMatchObject({ version: 1, schema: avro('Order') });
    expect((await api('GET', '/subjects/orders-value/versions/-1')).body).toMatchObject({ version: 2 });
    expect((await api('GET', '/subjects/orders-value/versions/1/schema')).body).toEqual(JSON.parse(avro('Order')));
    expect((await api('GET', '/schemas/types')).body).toEqual(['AVRO', 'JSON']);
  });

  it('answers misses with Confluent error codes', async () => {
    expect(await api('GET', '/schemas/ids/9999')).toEqual({ status: 404, body: { error_code: 40403, message: 'Schema 9999 not found' } });
    expect(await api('GET', '/subjects/nope/versions')).toEqual({ status: 404, body: { error_code: 40401, message: "Subject 'nope' not found." } });
    expect(await api('GET', '/subjects/orders-value/versions/7')).toEqual({ status: 404, body: { error_code: 40402, message: 'Version 7 not found.' } });
    expect((await api('GET', '/subjects/orders-value/versions/zero')).body).toMatchObject({ error_code: 42202 });
    expect((await api('POST', '/subjects/orders-value/versions', { schema: '{"type":"record","name":"X"}' })).body).toMatchObject({ error_code: 42201 });
    expect((await api('POST', '/subjects/orders-value/versions', { schema: avro('R'), references: [{ name: 'x', subject: 'y', version: 1 }] })).body).toMatchObject({ error_code: 42201 });
    expect((await api('POST', '/subjects/orders-value/versions', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3";' })).body).toMatchObject({ error_code: 42201 });
    expect(await api('POST', '/subjects/orders-value/versions', '{not json')).toMatchObject({ status: 400 });
    expect(await api('GET', '/nowhere')).toMatchObject({ status: 404 });
    expect(await api('DELETE', '/schemas/types')).toMatchObject({ status: 405 });
  });

  it('looks a schema up in a subject (POST /subjects/{subject})', async () => {
    expect((await api('POST', '/subjects/orders-value', { schema: avro('Order') })).body).toMatchObject({ subject: 'orders-value', version: 1, schema: avro('Order') });
    expect(await api('POST', '/subjects/orders-value', { schema: avro('Unknown') })).toEqual({ status: 404, body: { error_code: 40403, message: 'Schema not found' } });
    expect((await api('POST', '/subjects/nope', { schema: avro('Order') })).body).toMatchObject({ error_code: 40401 });
  });

  it('keeps a global and per-subject compatibility level', async () => {
    expect((await api('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await api('GET', '/config/orders-value')).body).toMatchObject({ error_code: 40408 });
    expect((await api('GET', '/config/orders-value?defaultToGlobal=true')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await api('PUT', '/config/orders-value', { compatibility: 'FULL' })).body).toEqual({ compatibility: 'FULL' });
    expect((await api('GET', '/config/orders-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await api('PUT', '/config/orders-value', { compatibility: 'SIDEWAYS' })).body).toMatchObject({ error_code: 42203 });
    expect((await api('DELETE', '/config/orders-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect((await api('PUT', '/config', { compatibility: 'NONE' })).body).toEqual({ compatibility: 'NONE' });
    expect((await api('GET', '/config')).body).toEqual({ compatibilityLevel: 'NONE' });
    await api('PUT', '/config', { compatibility: 'BACKWARD' });
  });

  it('soft-deletes, then permanently deletes, versions and subjects', async () => {
    await api('POST', '/subjects/gone-value/versions', { schema: avro('Gone') });
    const v2 = (await api('POST', '/subjects/gone-value/versions', { schema: avro('Gone', [{ name: 'id', type: 'long' }, { name: 'x', type: 'int', default: 0 }]) })).body as { id: number };
    expect((await api('DELETE', '/subjects/gone-value/versions/2?permanent=true')).body).toMatchObject({ error_code: 40407 });
    expect((await api('DELETE', '/subjects/gone-value/versions/2')).body).toBe(2);
    expect((await api('DELETE', '/subjects/gone-value/versions/2')).body).toMatchObject({ error_code: 40406 });
    expect((await api('GET', '/subjects/gone-value/versions')).body).toEqual([1]);
    expect((await api('GET', '/subjects/gone-value/versions?deleted=true')).body).toEqual([1, 2]);
    // Soft-deleted schemas still decode old records.
    expect((await api('GET', `/schemas/ids/${v2.id}`)).status).toBe(200);
    expect((await api('DELETE', '/subjects/gone-value/versions/2?permanent=true')).body).toBe(2);
    expect((await api('GET', '/subjects/gone-value/versions?deleted=true')).body).toEqual([1]);
    expect((await api('GET', `/schemas/ids/${v2.id}`)).status).toBe(404);

    expect((await api('DELETE', '/subjects/gone-value?permanent=true')).body).toMatchObject({ error_code: 40405 });
    expect((await api('DELETE', '/subjects/gone-value')).body).toEqual([1]);
    expect((await api('GET', '/subjects')).body).not.toContain('gone-value');
    expect((await api('GET', '/subjects?deleted=true')).body).toContain('gone-value');
    expect((await api('DELETE', '/subjects/gone-value')).body).toMatchObject({ error_code: 40404 });
    expect((await api('DELETE', '/subjects/gone-value?permanent=true')).body).toEqual([1]);
    expect((await api('GET', '/subjects?deleted=true')).body).not.toContain('gone-value');
  });

  it('serves @kafkajs/confluent-schema-registry: register with a compatibility, encode, decode, look up', async () => {
    const client = new SchemaRegistry({ host: url });
    const schema = avro('KafkajsUser', [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }]);
    const { id } = await client.register({ type: SchemaType.AVRO, schema }, { subject: 'kafkajs-value', compatibility: 'FULL' as never });
    expect((await api('GET', '/config/kafkajs-value')).body).toEqual({ compatibilityLevel: 'FULL' });
    expect(await client.getLatestSchemaId('kafkajs-value')).toBe(id);
    expect(await client.getRegistryIdBySchema('kafkajs-value', { type: SchemaType.AVRO, schema })).toBe(id);
    const bytes = await client.encode(id, { id: 7, name: 'Ada' });
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await new SchemaRegistry({ host: url }).decode(bytes)).toEqual({ id: 7, name: 'Ada' });
  });
});

describe('embedded schema registry state', () => {
  it('survives a restart: a new registry on the same log serves the same ids, versions and levels', async () => {
    const first = await memoryRegistry();
    const register = (base: string, subject: string, schema: string): Promise<Answer> => call(base, 'POST', `/subjects/${subject}/versions`, { schema });
    const a = ((await register(first.url, 'a-value', avro('A'))).body as { id: number }).id;
    const b = ((await register(first.url, 'b-value', avro('B'))).body as { id: number }).id;
    await call(first.url, 'PUT', '/config/b-value', { compatibility: 'NONE' });
    await call(first.url, 'DELETE', '/subjects/a-value');
    await first.stop();

    const second = await memoryRegistry(first.records);
    try {
      expect((await call(second.url, 'GET', `/schemas/ids/${a}`)).body).toEqual({ schema: avro('A') });
      expect((await call(second.url, 'GET', '/subjects')).body).toEqual(['b-value']);
      expect((await call(second.url, 'GET', '/config/b-value')).body).toEqual({ compatibilityLevel: 'NONE' });
      expect(((await register(second.url, 'b-value', avro('B'))).body as { id: number }).id).toBe(b);
      // Ids keep counting from where the first registry stopped.
      expect(((await register(second.url, 'c-value', avro('C'))).body as { id: number }).id).toBe(Math.max(a, b) + 1);
    } finally {
      await second.stop();
    }
  });

  it('applies the first of two racing records and ignores the one that contradicts it', () => {
    const state = new SchemaState();
    const schema = (text: string) => ({ schema: text, schemaType: 'AVRO' as const });
    expect(state.apply(SchemaState.schemaRecord('s', { version: 1, id: 1 }, schema('"int"')))).toBe(true);
    // Another writer also took version 1 of s, with id 2: ignored.
    expect(state.apply(SchemaState.schemaRecord('s', { version: 1, id: 2 }, schema('"long"')))).toBe(false);
    // Another writer took id 1 for another schema: ignored.
    expect(state.apply(SchemaState.schemaRecord('t', { version: 1, id: 1 }, schema('"string"')))).toBe(false);
    // And the same schema under a second id: ignored, one schema has one id.
    expect(state.apply(SchemaState.schemaRecord('t', { version: 1, id: 3 }, schema('"int"')))).toBe(false);
    // Two writers that picked the same version and id for different schemas write different keys,
    // so compaction keeps both, in order, and the first still wins after it.
    const loser = SchemaState.schemaRecord('s', { version: 1, id: 1 }, schema('"bytes"'));
    expect(loser.key).not.toBe(SchemaState.schemaRecord('s', { version: 1, id: 1 }, schema('"int"')).key);
    expect(state.apply(loser)).toBe(false);
    expect(state.schema(1)).toEqual(schema('"int"'));
    expect(state.versions('s')).toEqual([{ version: 1, id: 1, deleted: false }]);
    expect(state.versions('t')).toBeUndefined();
    expect(state.schema(2)).toBeUndefined();
    expect(state.apply({ key: 'not json', value: null })).toBe(false);
  });

  it('a writer that loses a race registers again, after the winner', async () => {
    const records: SchemaLogRecord[] = [];
    const inner = new MemorySchemaLog(records);
    let raced = false;
    // Another process appends version 1 of the same subject just before our first write lands.
    const racing: SchemaLog = {
      start: (apply) => inner.start(apply),
      catchUp: () => inner.catchUp(),
      stop: () => inner.stop(),
      append: async (batch) => {
        if (!raced) {
          raced = true;
          records.push(SchemaState.schemaRecord('race-value', { version: 1, id: 1 }, { schema: avro('Winner'), schemaType: 'AVRO' }));
        }
        await inner.append(batch);
      },
    };
    const registry = await EmbeddedSchemaRegistry.start({ log: racing, logger: silentLogger });
    try {
      await call(registry.url, 'PUT', '/config/race-value', { compatibility: 'NONE' });
      const ours = await call(registry.url, 'POST', '/subjects/race-value/versions', { schema: avro('Loser') });
      expect(ours.body).toEqual({ id: 2 });
      expect((await call(registry.url, 'GET', '/subjects/race-value/versions/1')).body).toMatchObject({ id: 1, schema: avro('Winner') });
      expect((await call(registry.url, 'GET', '/subjects/race-value/versions/2')).body).toMatchObject({ id: 2, schema: avro('Loser') });
    } finally {
      await registry.stop();
    }
  });
});
