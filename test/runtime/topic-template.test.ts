import { describe, expect, it } from 'vitest';
import { compileTopicTemplate, isTopicTemplate } from '../../src/runtime/topic-template.ts';
import { TributaryError } from '../../src/sdk/errors.ts';
import type { TributaryRecord } from '../../src/sdk/record.ts';

const record = (value: unknown): TributaryRecord => ({ topic: '', key: null, value, headers: [] });

describe('topic templates', () => {
  it.each([
    ['plain.topic', { a: 1 }, 'plain.topic'],
    ['cdc.${database}.${table}', { database: 'shop', table: 'orders' }, 'cdc.shop.orders'],
    ['by-country.${address.country}', { address: { country: 'NZ' } }, 'by-country.NZ'],
    ['n.${id}', { id: 42 }, 'n.42'],
    ['s.${name}', { name: 'a b/c' }, 's.a_b_c'],
  ])('%s with %j -> %s', (template, value, expected) => {
    expect(compileTopicTemplate(template)(record(value))).toBe(expected);
  });

  it.each([
    [{ other: 1 }, 'no scalar field "table"'],
    [{ table: null }, 'no scalar field "table"'],
    [{ table: { nested: true } }, 'no scalar field "table"'],
    ['not an object', 'no scalar field "table"'],
  ])('a record without the field (%j) fails as a transform error naming it', (value, message) => {
    const resolve = compileTopicTemplate('cdc.${table}');
    const err = (() => {
      try {
        return resolve(record(value));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TributaryError);
    expect(err).toMatchObject({ code: 'TRANSFORM_FAILED' });
    expect((err as Error).message).toContain(message);
  });

  it('recognises templates', () => {
    expect(isTopicTemplate('a.${b}')).toBe(true);
    expect(isTopicTemplate('a.b')).toBe(false);
  });
});
