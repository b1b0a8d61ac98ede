import { describe, expect, it } from 'vitest';
import { inferSchema } from '../../src/serde/schema-inference.ts';

describe('inferSchema', () => {
  it('merges nested arrays of structs, keeping fields in first-seen order', () => {
    expect(inferSchema({ rows: [{ a: 1, tags: [] }, { tags: ['x', null], a: null, c: true }] })).toEqual({
      type: 'struct',
      optional: false,
      fields: [
        {
          field: 'rows',
          schema: {
            type: 'array',
            optional: false,
            items: {
              type: 'struct',
              optional: false,
              fields: [
                { field: 'a', schema: { type: 'int64', optional: true } },
                { field: 'tags', schema: { type: 'array', optional: false, items: { type: 'string', optional: true } } },
                { field: 'c', schema: { type: 'boolean', optional: true } },
              ],
            },
          },
        },
      ],
    });
  });

  it('leaves no internal marks in the schema', () => {
    expect(JSON.stringify(inferSchema({ a: null, b: [null], c: new Map() }))).not.toContain('unknown');
  });

  it.each<[unknown, RegExp]>([
    [{ a: [true, 1] }, /a\[1\]: elements mix boolean and int64/],
    [{ a: [new Date(0), 1] }, /elements mix Timestamp and int64/],
    [{ a: [[1], ['x']] }, /a\[1\]\[\]: elements mix int64 and string/],
    [{ a: NaN }, /a: NaN has no JSON form/],
    [{ f: () => 1 }, /f: a function has no schema/],
    [new Map([[null, 1]]), /a map key cannot be null/],
  ])('refuses %s', (value, message) => {
    expect(() => inferSchema(value)).toThrow(message);
  });
});
