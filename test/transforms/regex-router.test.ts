import { describe, expect, it } from 'vitest';
import type { TributaryRecord } from '../../src/sdk/record.ts';
import { regexRouter, type RegexRouterConfig } from '../../src/transforms/regex-router.ts';
import { configAccepted, expectFailure, pluginContext } from './plugin-context.ts';

const create = (config: Record<string, unknown>) => regexRouter.create(pluginContext<RegexRouterConfig>(regexRouter.spec, config));

const record = (topic: string): TributaryRecord => Object.freeze({ topic, key: 'k', value: { a: 1 }, headers: [] });

describe('regex-router', () => {
  // Expected topics are what java.util.regex's matches() + replaceFirst() give for the same input.
  it.each([
    ['(.*)-raw', '$1-clean', 'orders-raw', 'orders-clean'],
    ['cdc\\.(\\w+)\\.(\\w+)', '$2_from_$1', 'cdc.shop.orders', 'orders_from_shop'],
    ['(?<db>\\w+)\\.(?<table>\\w+)', 'out.${table}', 'shop.users', 'out.users'],
    ['orders', 'orders-v2', 'orders', 'orders-v2'],
    ['orders', 'x', 'orders-eu', 'orders-eu'], // no full match: unchanged
    ['(?i)ORDERS-(.*)', 'o-$1', 'orders-eu', 'o-eu'],
    ['(a)(b)?', '[$1|$2]', 'a', '[a|]'], // unmatched group expands to nothing
    ['(x)', '$10', 'x', 'x0'], // $1 then a literal 0: there is no group 10
    ['(.*)', 'price\\$$1', 'usd', 'price$usd'],
    ['a|ab', 'X', 'ab', 'Xb'], // matches() with "ab", but replaceFirst() finds "a" first, as in Java
    ['\\Qa.b\\E(.*)', 'z$1', 'a.bc', 'zc'],
  ])('%s -> %s routes %s to %s', (regex, replacement, topic, expected) => {
    const out = create({ regex, replacement }).apply(record(topic)) as TributaryRecord;
    expect(out.topic).toBe(expected);
    expect(out.value).toEqual({ a: 1 });
  });

  it('returns the same record when the topic does not change', () => {
    const r = record('audit');
    expect(create({ regex: 'orders', replacement: 'x' }).apply(r)).toBe(r);
  });

  it('fails the record when the replacement yields an empty topic', () => {
    expectFailure(() => create({ regex: 'tmp-.*', replacement: '' }).apply(record('tmp-1')), 'TRANSFORM_FAILED', /empty topic name/);
  });

  it.each([
    [{ regex: '(unclosed', replacement: 'x' }, /is not a regular expression this engine accepts/],
    [{ regex: 'a*+', replacement: 'x' }, /not a regular expression/],
    [{ regex: '(a)', replacement: '$2' }, /\$2 refers to a group the pattern does not have \(it has 1\)/],
    [{ regex: '(a)', replacement: '${name}' }, /no group named "name"/],
    [{ regex: '(a)', replacement: 'cost$' }, /\$ at the end names no group/],
    [{ regex: '(a)', replacement: '$x' }, /\$ must be followed by a group number/],
    [{ regex: '(a)', replacement: 'x\\' }, /trailing \\ escapes nothing/],
    [{ regex: '(?x)a', replacement: 'x' }, /inline flag \(\?x\) is not supported/],
  ])('%j is CONFIG_INVALID', (config, message) => {
    expectFailure(() => create(config), 'CONFIG_INVALID', message);
  });

  it('spec requires regex and replacement', () => {
    expect(configAccepted(regexRouter.spec, { regex: 'a' })).toBe(false);
    expect(configAccepted(regexRouter.spec, { replacement: 'a' })).toBe(false);
    expect(configAccepted(regexRouter.spec, { regex: 'a', replacement: 'b', topic: 'c' })).toBe(false);
  });
});
