import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../src/sdk/errors.ts';
import type { TributaryRecord } from '../../src/sdk/record.ts';
import { builtinTransforms } from '../../src/transforms/index.ts';
import { pluginContext } from './plugin-context.ts';

/**
 * Every built-in transform, given a minimal config, meets records of every wrong shape: it either
 * returns a record (or null) or throws TRANSFORM_FAILED. Anything else (a TypeError from reading a
 * property of null, a RangeError) would be a crash instead of a dead letter.
 */
const MINIMAL: Record<string, Record<string, unknown>> = {
  'insert-field': { staticField: 'x', staticValue: 'y' },
  'replace-field': { exclude: ['a'], onMissing: 'fail', include: ['a', 'b'] },
  'mask-field': { fields: ['a'], onMissing: 'fail' },
  filter: {},
  'regex-router': { regex: '(.*)', replacement: 'x-$1' },
  'value-to-key': { fields: ['a'] },
  'extract-field': { field: 'a.b', onMissing: 'fail' },
  'hoist-field': { field: 'a' },
  flatten: {},
  cast: { fields: { a: 'int8' }, onMissing: 'fail' },
  'timestamp-converter': { field: 'a', to: 'string' },
  'timestamp-router': {},
  'insert-header': { header: 'h', value: 'v' },
  'drop-headers': { headers: ['h'] },
  'header-from': { fields: ['a'], headers: ['h'], onMissing: 'fail', operation: 'move' },
  'unwrap-cdc': { onOther: 'fail', deletes: 'rewrite', addFields: ['op', 'source.table'] },
  'parse-json': { onError: 'fail' },
  'parse-regex': { pattern: '(?<a>x+)', onError: 'fail', types: { a: 'int32' } },
  'parse-logfmt': { onError: 'fail', types: { a: 'int32' } },
  'parse-syslog': { onError: 'fail' },
  'parse-nginx': { onError: 'fail' },
};

const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;

const VALUES: Array<[string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'a=xx'],
  ['an empty string', ''],
  ['a number', 42],
  ['NaN', Number.NaN],
  ['a bigint', 2n ** 70n],
  ['a boolean', true],
  ['a Buffer', Buffer.from([0xff, 0x00])],
  ['a Date', new Date(Number.NaN)],
  ['an array', [{ a: 1 }]],
  ['a Map', new Map([['a', 1]])],
  ['an empty object', {}],
  ['a wrong-typed field', { a: { b: [] }, op: 5, after: 'x', type: 'INSERT', table: 1, data: 'x' }],
  ['a huge field', { a: 10 ** 300 }],
  ['a circular object', circular],
  ['a Debezium-ish envelope with junk', { op: 'c', after: 7, before: null, source: 'nope' }],
  ['a Canal-ish message with junk', { type: 'INSERT', table: 't', data: [null], sqlType: 'x' }],
];

const RECORD_SHAPES: Array<[string, Partial<TributaryRecord>]> = [
  ['no schema', {}],
  ['a non-struct schema', { valueSchema: { type: 'string' }, keySchema: { type: 'int32' } }],
  ['a struct schema without fields', { valueSchema: { type: 'struct' } }],
  ['a NaN timestamp', { timestamp: Number.NaN }],
];

describe('every built-in transform on bad input', () => {
  it('has a minimal config here for each built-in', () => {
    expect(Object.keys(MINIMAL).sort()).toEqual(builtinTransforms.map((t) => t.spec.name).sort());
  });

  for (const plugin of builtinTransforms) {
    it(`${plugin.spec.name}: returns a record, null or TRANSFORM_FAILED, never a crash`, async () => {
      // Called directly, not through TransformChain: the chain wraps whatever is thrown, which would hide a crash.
      const transform = plugin.create(pluginContext(plugin.spec, MINIMAL[plugin.spec.name] ?? {}));
      let failures = 0;
      for (const [valueName, value] of VALUES) {
        for (const [shapeName, shape] of RECORD_SHAPES) {
          const input: TributaryRecord = { topic: 'logs', key: value, value, headers: [{ key: 'h', value: null }], ...shape };
          try {
            const out = await transform.apply(input);
            if (out !== null) expect(typeof out.topic, `${valueName} with ${shapeName}`).toBe('string');
          } catch (err) {
            failures++;
            expect(err, `${valueName} with ${shapeName}`).toBeInstanceOf(TributaryError);
            expect((err as TributaryError).code, `${valueName} with ${shapeName}: ${String(err)}`).toBe('TRANSFORM_FAILED');
            expect((err as TributaryError).message.length).toBeGreaterThan(20);
          }
        }
      }
      // Each minimal config demands something, so some of these inputs must fail (filter drops all, and
      // the header transforms accept any record).
      if (!['filter', 'insert-header', 'drop-headers', 'hoist-field', 'flatten', 'regex-router'].includes(plugin.spec.name)) expect(failures).toBeGreaterThan(0);
    });
  }
});
