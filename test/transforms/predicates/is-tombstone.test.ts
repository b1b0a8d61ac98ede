import { describe, expect, it } from 'vitest';
import type { TributaryRecord } from '../../../src/sdk/record.ts';
import { isTombstone } from '../../../src/transforms/predicates/is-tombstone.ts';
import { pluginContext } from '../plugin-context.ts';

const record = (extra: Partial<TributaryRecord> = {}): TributaryRecord => ({ topic: 'shop.orders', key: null, value: { a: 1 }, headers: [], ...extra });

describe('is-tombstone', () => {
  const predicate = isTombstone.create(pluginContext(isTombstone.spec, {}));

  it.each<[unknown, boolean]>([
    [null, true],
    [undefined, true],
    [{}, false],
    ['', false],
    [0, false],
  ])('value %j is %s', (value, expected) => {
    expect(predicate.test(record({ value }))).toBe(expected);
  });
});
