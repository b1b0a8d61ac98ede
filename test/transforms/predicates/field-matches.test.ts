import { describe, expect, it } from 'vitest';
import type { TributaryRecord } from '../../../src/sdk/record.ts';
import { fieldMatches, type FieldMatchesConfig } from '../../../src/transforms/predicates/field-matches.ts';
import { configAccepted, expectFailure, pluginContext } from '../plugin-context.ts';

const record = (value: unknown, key: unknown = null): TributaryRecord => ({ topic: 't', key, value, headers: [] });
const holds = (config: Record<string, unknown>, r: TributaryRecord) => fieldMatches.create(pluginContext<FieldMatchesConfig>(fieldMatches.spec, config)).test(r);

describe('field-matches', () => {
  const value = { status: 200, level: 'ERROR', big: 2n ** 60n, nil: null, after: { op: 'd' } };

  it.each<[Record<string, unknown>, boolean]>([
    [{ field: 'status', equals: 200 }, true],
    [{ field: 'status', equals: '200' }, false],
    [{ field: 'status', in: [301, 302] }, false],
    [{ field: 'status', in: [200, 204] }, true],
    [{ field: 'big', equals: 2 ** 60 }, true],
    [{ field: 'nil', equals: null }, true],
    [{ field: 'ghost', equals: null }, false],
    [{ field: 'level', pattern: '(?i)error|warn' }, true],
    [{ field: 'level', pattern: 'ERR' }, false],
    [{ field: 'status', pattern: '2\\d\\d' }, true],
    [{ field: 'after', pattern: '.*' }, false],
    [{ field: 'nil', exists: true }, true],
    [{ field: 'ghost', exists: false }, true],
    [{ field: 'after.op', equals: 'd' }, true],
    [{ field: 'after.op.x', exists: true }, false],
  ])('%j is %s', (config, expected) => {
    expect(holds(config, record(value))).toBe(expected);
  });

  it('tests the key with target: key', () => {
    expect(holds({ field: 'id', equals: 1, target: 'key' }, record(null, { id: 1 }))).toBe(true);
  });

  it.each([null, 'a line', [1, 2], 42])('finds no fields in the value %j, so only exists: false holds', (v) => {
    expect(holds({ field: 'a', exists: true }, record(v))).toBe(false);
    expect(holds({ field: 'a', exists: false }, record(v))).toBe(true);
    expect(holds({ field: 'a', equals: 'x' }, record(v))).toBe(false);
  });

  it.each([{ field: 'a' }, { field: 'a', equals: 1, pattern: 'x' }, { field: 'a', in: [] }, { equals: 1 }, { field: 'a', equals: { x: 1 } }])('rejects config %j', (config) => {
    expect(configAccepted(fieldMatches.spec, config)).toBe(false);
  });

  it('rejects a bad pattern at construction', () => {
    expectFailure(() => fieldMatches.create(pluginContext(fieldMatches.spec, { field: 'a', pattern: '(' })), 'CONFIG_INVALID', /not a regular expression/);
  });
});
