import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../src/sdk/errors.ts';
import type { SerdeCallContext, SerdeContext } from '../../src/sdk/serde.ts';
import { bytesSerde, type BytesSerdeConfig } from '../../src/serde/bytes.ts';
import { pluginContext } from '../transforms/plugin-context.ts';

const call: SerdeCallContext = { topic: 'blobs', isKey: true, headers: [] };
const ctx: SerdeContext<BytesSerdeConfig> = { ...pluginContext<BytesSerdeConfig>(bytesSerde.spec, {}), isKey: true };

describe('bytes serde', () => {
  const serializer = bytesSerde.createSerializer(ctx);
  const deserializer = bytesSerde.createDeserializer(ctx);

  it('passes a Buffer through without copying', () => {
    const b = Buffer.from([1, 2, 3]);
    expect(serializer.serialize(b, undefined, call)).toBe(b);
    expect(deserializer.deserialize(b, call)).toEqual({ data: b, schema: { type: 'bytes', optional: true } });
    expect((deserializer.deserialize(b, call) as { data: unknown }).data).toBe(b);
  });

  it('views a Uint8Array as a Buffer of exactly its bytes', () => {
    const view = new Uint8Array([9, 1, 2, 9]).subarray(1, 3);
    expect([...(serializer.serialize(view, { type: 'bytes' }, call) as Buffer)]).toEqual([1, 2]);
  });

  it('maps null both ways', () => {
    expect(serializer.serialize(null, undefined, call)).toBeNull();
    expect(deserializer.deserialize(null, call)).toEqual({ data: null, schema: { type: 'bytes', optional: true } });
  });

  it.each<[string, unknown, { type: 'string' } | undefined, RegExp]>([
    ['a string', 'text', undefined, /serializing key of topic "blobs" as bytes: expected a Buffer, got string/],
    ['an array', [1, 2], undefined, /got an array/],
    ['a non-bytes schema', Buffer.from('x'), { type: 'string' }, /the schema is string, not bytes/],
  ])('refuses %s with SERIALIZATION_FAILED', (_what, data, schema, message) => {
    let caught: unknown;
    try {
      serializer.serialize(data, schema, call);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TributaryError);
    expect((caught as TributaryError).code).toBe('SERIALIZATION_FAILED');
    expect((caught as TributaryError).message).toMatch(message);
  });
});
