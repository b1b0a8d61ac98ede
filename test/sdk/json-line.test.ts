import { describe, expect, it } from 'vitest';
import { recordLine, stringifyJson } from '../../src/sdk/index.ts';
import { sinkRecord } from '../connectors/support/sink-records.ts';

describe('JSON lines for sinks', () => {
  it('writes bigint as a bare number with every digit', () => {
    expect(stringifyJson({ n: 2n ** 64n + 1n, m: -12345678901234567890n })).toBe('{"n":18446744073709551617,"m":-12345678901234567890}');
  });

  it('writes bytes as base64', () => {
    expect(stringifyJson({ b: Buffer.from([0, 1, 255]), u: new Uint8Array([104, 105]) })).toBe('{"b":"AAH/","u":"aGk="}');
  });

  it('follows JSON.stringify for ordinary values', () => {
    const value = { s: 'a"\n', n: 1.5, t: true, z: null, d: new Date(0), a: [1, undefined, 'x'], u: undefined, nested: { k: [] } };
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
    expect(stringifyJson(undefined)).toBe('null');
  });

  it('refuses non-finite numbers rather than silently writing null', () => {
    expect(() => stringifyJson({ inf: Infinity })).toThrow(/Infinity cannot be written as JSON/);
    expect(() => stringifyJson([NaN])).toThrow(/NaN cannot be written as JSON/);
  });

  it('writes Map as an object and Set as an array', () => {
    expect(stringifyJson({ m: new Map<unknown, unknown>([['a', 1], [2, 3n]]), s: new Set([1, 2]) })).toBe('{"m":{"a":1,"2":3},"s":[1,2]}');
  });

  it('throws on circular data, but allows shared references', () => {
    const shared = { x: 1 };
    expect(stringifyJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => stringifyJson(loop)).toThrow(/cycle/);
  });

  it('builds the envelope in a fixed field order, with headers only when present', () => {
    const bare = sinkRecord({ topic: 't', partition: 2, offset: 9007199254740993n.toString(), key: 'k', value: { a: 1 }, timestamp: 5 });
    expect(recordLine(bare, 'envelope')).toBe('{"topic":"t","partition":2,"offset":"9007199254740993","key":"k","value":{"a":1},"timestamp":5}');
    const withHeaders = sinkRecord({
      offset: 0,
      headers: [
        { key: 'text', value: Buffer.from('héllo') },
        { key: 'bin', value: Buffer.from([0xff, 0xfe]) },
        { key: 'str', value: 's' },
        { key: 'nil', value: null },
      ],
    });
    expect(JSON.parse(recordLine(withHeaders, 'envelope')).headers).toEqual([
      { key: 'text', value: 'héllo' },
      { key: 'bin', value: { base64: '//4=' } },
      { key: 'str', value: 's' },
      { key: 'nil', value: null },
    ]);
  });

  it('writes only the value in value format', () => {
    expect(recordLine(sinkRecord({ offset: 1, value: { id: 7n } }), 'value')).toBe('{"id":7}');
    expect(recordLine(sinkRecord({ offset: 1, value: null }), 'value')).toBe('null');
  });
});
