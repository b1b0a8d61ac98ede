import { describe, expect, it } from 'vitest';
import type { TributaryRecord } from '../../../src/sdk/record.ts';
import { hasHeader, type HasHeaderConfig } from '../../../src/transforms/predicates/has-header.ts';
import { configAccepted, pluginContext } from '../plugin-context.ts';

const record = (extra: Partial<TributaryRecord> = {}): TributaryRecord => ({ topic: 'shop.orders', key: null, value: { a: 1 }, headers: [], ...extra });

describe('has-header', () => {
  const test = (name: string, headers: TributaryRecord['headers']) => hasHeader.create(pluginContext<HasHeaderConfig>(hasHeader.spec, { name })).test(record({ headers }));

  it.each<[string, TributaryRecord['headers'], boolean]>([
    ['trace', [{ key: 'trace', value: 'x' }], true],
    ['trace', [{ key: 'a', value: 'x' }, { key: 'trace', value: null }], true],
    ['trace', [{ key: 'Trace', value: 'x' }], false],
    ['trace', [], false],
  ])('%s in %j is %s', (name, headers, expected) => {
    expect(test(name, headers)).toBe(expected);
  });

  it('requires a name', () => {
    expect(configAccepted(hasHeader.spec, {})).toBe(false);
  });
});
