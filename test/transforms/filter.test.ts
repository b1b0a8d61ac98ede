import { describe, expect, it } from 'vitest';
import type { TributaryRecord } from '../../src/sdk/record.ts';
import { filter } from '../../src/transforms/filter.ts';
import { configAccepted, pluginContext } from './plugin-context.ts';

describe('filter', () => {
  it.each<[string, unknown]>([
    ['an object value', { a: 1 }],
    ['a tombstone', null],
    ['a string value', 'x'],
  ])('drops %s (the chain decides which records reach it)', (_what, value) => {
    const record: TributaryRecord = { topic: 't', key: null, value, headers: [] };
    expect(filter.create(pluginContext(filter.spec, {})).apply(record)).toBeNull();
  });

  it('takes no config', () => {
    expect(configAccepted(filter.spec, {})).toBe(true);
    expect(configAccepted(filter.spec, { negate: true })).toBe(false);
  });
});
