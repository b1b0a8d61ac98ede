import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../src/sdk/errors.ts';
import type { Deserialized, SerdeCallContext, SerdeContext } from '../../src/sdk/serde.ts';
import { stringSerde, type StringSerdeConfig } from '../../src/serde/string.ts';
import { configAccepted, pluginContext } from '../transforms/plugin-context.ts';

const call: SerdeCallContext = { topic: 'logs', isKey: false, headers: [] };

function serde(config: Record<string, unknown> = {}) {
  const ctx: SerdeContext<StringSerdeConfig> = { ...pluginContext<StringSerdeConfig>(stringSerde.spec, config), isKey: false };
  return { serializer: stringSerde.createSerializer(ctx), deserializer: stringSerde.createDeserializer(ctx) };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TributaryError);
    return `${(err as TributaryError).code}: ${(err as Error).message}`;
  }
  return 'no error';
}

describe('string serde', () => {
  it.each<[string, unknown, string, number[]]>([
    ['utf8', 'h\u00e9 😀', 'h\u00e9 😀', [0x68, 0xc3, 0xa9, 0x20, 0xf0, 0x9f, 0x98, 0x80]],
    ['utf16le', 'h\u00e9', 'h\u00e9', [0x68, 0x00, 0xe9, 0x00]],
    ['latin1', 'h\u00e9', 'h\u00e9', [0x68, 0xe9]],
    ['ascii', 'hi', 'hi', [0x68, 0x69]],
    ['utf8', 42, '42', [0x34, 0x32]],
    ['utf8', 12345678901234567890n, '12345678901234567890', [...Buffer.from('12345678901234567890')]],
    ['utf8', false, 'false', [...Buffer.from('false')]],
  ])('%s: %s round-trips through its bytes', (encoding, data, text, bytes) => {
    const { serializer, deserializer } = serde({ encoding });
    const out = serializer.serialize(data, undefined, call) as Buffer;
    expect([...out]).toEqual(bytes);
    expect(deserializer.deserialize(out, call)).toEqual({ data: text, schema: { type: 'string', optional: true } });
  });

  it('maps null both ways', () => {
    const { serializer, deserializer } = serde();
    expect(serializer.serialize(null, undefined, call)).toBeNull();
    expect((deserializer.deserialize(null, call) as Deserialized).data).toBeNull();
  });

  it.each<[string, Record<string, unknown>, unknown, RegExp]>([
    ['an object', {}, { a: 1 }, /SERIALIZATION_FAILED: serializing value of topic "logs" as a string: expected a string, number or boolean, got object/],
    ['a Buffer', {}, Buffer.from('x'), /got bytes/],
    ['a lone surrogate in utf8', {}, 'a\ud800', /lone UTF-16 surrogate/],
    ['a non-ASCII character in ascii', { encoding: 'ascii' }, 'caf\u00e9', /character "é" at index 3 has no ascii encoding/],
    ['a non-Latin-1 character in latin1', { encoding: 'latin1' }, '€', /has no latin1 encoding/],
  ])('refuses to write %s', (_what, config, data, message) => {
    expect(codeOf(() => serde(config).serializer.serialize(data, undefined, call))).toMatch(message);
  });

  it.each<[string, Record<string, unknown>, number[], RegExp]>([
    ['invalid UTF-8', {}, [0x61, 0xff], /DESERIALIZATION_FAILED: deserializing value of topic "logs" as a string/],
    ['an odd number of UTF-16 bytes', { encoding: 'utf16le' }, [0x61, 0x00, 0x62], /3 bytes is not a whole number of UTF-16 code units/],
    ['a high byte in ASCII', { encoding: 'ascii' }, [0x61, 0xe9], /byte 0xe9 at offset 1 is not ASCII/],
  ])('refuses to read %s', (_what, config, bytes, message) => {
    expect(codeOf(() => serde(config).deserializer.deserialize(Buffer.from(bytes), call))).toMatch(message);
  });

  it('keeps a byte-order mark as text', () => {
    expect((serde().deserializer.deserialize(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), call) as Deserialized).data).toBe('\ufeffa');
  });

  it('spec accepts text encodings only', () => {
    expect(configAccepted(stringSerde.spec, { encoding: 'hex' })).toBe(false);
    expect(pluginContext<StringSerdeConfig>(stringSerde.spec, {}).config.encoding).toBe('utf8');
  });
});
