import { describe, expect, it } from 'vitest';
import type { TributaryRecord } from '../../../src/sdk/record.ts';
import { topicMatches, type TopicMatchesConfig } from '../../../src/transforms/predicates/topic-matches.ts';
import { configAccepted, expectFailure, pluginContext } from '../plugin-context.ts';

const record = (extra: Partial<TributaryRecord> = {}): TributaryRecord => ({ topic: 'shop.orders', key: null, value: { a: 1 }, headers: [], ...extra });

describe('topic-matches', () => {
  const test = (pattern: string, topic: string) => topicMatches.create(pluginContext<TopicMatchesConfig>(topicMatches.spec, { pattern })).test(record({ topic }));

  it.each([
    ['shop\\..*', 'shop.orders', true],
    ['shop', 'shop.orders', false], // the whole name must match, as Java's matches()
    ['.*orders', 'shop.orders', true],
    ['(?i)SHOP\\..*', 'shop.orders', true],
    ['a|shop\\.orders', 'shop.orders', true],
  ])('%s on %s is %s', (pattern, topic, expected) => {
    expect(test(pattern, topic)).toBe(expected);
  });

  it('an invalid pattern is CONFIG_INVALID', () => {
    expectFailure(() => test('([', 'x'), 'CONFIG_INVALID', /configuring topic-matches: pattern "\(\[" is not a regular expression/);
  });

  it('requires a pattern', () => {
    expect(configAccepted(topicMatches.spec, {})).toBe(false);
    expect(configAccepted(topicMatches.spec, { pattern: '' })).toBe(false);
  });
});
