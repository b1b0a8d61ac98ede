import { describe, expect, it } from 'vitest';
import { JsonNumber, endOfJsonValue, parseJson, stringifyJson } from '../../src/sdk/json-text.ts';

describe('stringifyJson', () => {
  it.each<[string, unknown]>([
    ['plain data', { a: 1, b: 'x', c: [true, null, 2.5], d: { e: {} }, f: [] }],
    ['escapes and unicode', { 'k"\\ey': 'tab\t nl\n quote" backslash\\ \u0000 \u001f \u2028 é 😀' }],
    ['negative zero and exponents', [-0, 1e21, 1e-7, 5e-324]],
    ['objects with toJSON', { when: new Date(0), custom: { toJSON: () => 'x' } }],
  ])('matches JSON.stringify for %s', (_what, value) => {
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
  });

  it('escapes lone surrogates like JSON.stringify, so the output is valid UTF-8', () => {
    expect(stringifyJson('\ud800x\udc00')).toBe('"\\ud800x\\udc00"');
  });

  it.each<[string, unknown, string]>([
    ['bigint exactly', [2n ** 64n, -(2n ** 70n)], '[18446744073709551616,-1180591620717411303424]'],
    ['Buffer as base64', Buffer.from('hi'), '"aGk="'],
    ['a Uint8Array view as base64 of its bytes only', new Uint8Array([9, 1, 2, 9]).subarray(1, 3), '"AQI="'],
    ['JsonNumber verbatim', { d: new JsonNumber('123456789012345678901234.5678') }, '{"d":123456789012345678901234.5678}'],
    ['a Map as an object', new Map<unknown, unknown>([['a', 1], [2, 'b']]), '{"a":1,"2":"b"}'],
    ['a __proto__ key as data', JSON.parse('{"__proto__":1}'), '{"__proto__":1}'],
    ['undefined in arrays as null', [undefined], '[null]'],
  ])('writes %s', (_what, value, json) => {
    expect(stringifyJson(value)).toBe(json);
  });

  it('refuses JsonNumber text that is not a number', () => {
    expect(() => new JsonNumber('1.2.3')).toThrow(/not a JSON number/);
  });
});

describe('parseJson', () => {
  it.each<[string, unknown]>([
    ['{"a":1}', { a: 1 }],
    ['9007199254740991', 9007199254740991],
    ['9007199254740992', 9007199254740992n],
    ['-9223372036854775808', -9223372036854775808n],
    ['[1234567890123456789, "12345678901234567890", 1.5e300]', [1234567890123456789n, '12345678901234567890', 1.5e300]],
    [' { "k" : [ 12345678901234567 , {"n":null,"t":true,"f":false} ] } ', { k: [12345678901234567n, { n: null, t: true, f: false }] }],
    ['{"s":"esc \\" \\\\ \\u00e9 \\ud83d\\ude00","n":12345678901234567}', { s: 'esc " \\ é 😀', n: 12345678901234567n }],
    ['{"__proto__":12345678901234567890}', JSON.parse('{"__proto__":1}') && Object.defineProperty({}, '__proto__', { value: 12345678901234567890n, enumerable: true, writable: true, configurable: true })],
  ])('%s', (text, value) => {
    expect(parseJson(text)).toStrictEqual(value);
  });

  it('keeps long decimals exact on request', () => {
    expect(parseJson('[0.1234567890123456789, 1.5, 12345678901234567.5]', { exactDecimals: true })).toStrictEqual([
      new JsonNumber('0.1234567890123456789'),
      1.5,
      new JsonNumber('12345678901234567.5'),
    ]);
  });

  it('agrees with JSON.parse on long-number documents apart from bigints', () => {
    const docs = ['{"a":[1,2,{"b":"c"}],"id":1234567890123456789}', '[{"x":-0.5e-10},[],{},"",12345678901234567890]'];
    for (const doc of docs) {
      const ours = JSON.stringify(parseJson(doc), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
      expect(JSON.parse(ours)).toEqual(JSON.parse(doc));
    }
  });

  it.each(['{"a":12345678901234567890', '[12345678901234567890,]', '12345678901234567890 1', '{"a" 12345678901234567890}', '"unterminated 12345678901234567890', '01234567890123456789'])(
    'rejects malformed %s',
    (text) => {
      expect(() => parseJson(text)).toThrow(SyntaxError);
    },
  );
});

describe('endOfJsonValue', () => {
  it.each<[string, number, string]>([
    ['{"a":{"b":"}"}},rest', 0, '{"a":{"b":"}"}}'],
    ['["x\\"]",1]|', 0, '["x\\"]",1]'],
    ['  "s\\"" x', 0, '  "s\\""'],
    ['123,4', 0, '123'],
    ['{"schema":true,"payload":1}', 10, 'true'],
    ['{"schema":{"p":",\\"payload\\":"},"payload":1}', 10, '{"p":",\\"payload\\":"}'],
    ['null', 0, 'null'],
  ])('%s from %s', (text, start, value) => {
    expect(text.slice(start, endOfJsonValue(text, start))).toBe(value);
  });
});
