import { describe, expect, it } from 'vitest';
import { identifierProblem, qualified, quoteIdent, tableForTopic } from '../../../connectors/postgres/identifier.ts';
import { TributaryError } from '../../../src/sdk/index.ts';

describe('identifiers', () => {
  it('are always quoted, embedded quotes doubled, case kept', () => {
    expect(quoteIdent('Orders')).toBe('"Orders"');
    expect(quoteIdent('a"; DROP TABLE x; --')).toBe('"a""; DROP TABLE x; --"');
    expect(qualified('my schema', 't')).toBe('"my schema"."t"');
  });

  it('must be non-empty, NUL-free and at most 63 bytes (PostgreSQL would truncate longer ones)', () => {
    expect(identifierProblem('ok')).toBeUndefined();
    expect(identifierProblem('')).toBe('is empty');
    expect(identifierProblem('a\u0000b')).toMatch(/NUL/);
    expect(identifierProblem('é'.repeat(32))).toMatch(/longer than 63 bytes/);
    expect(identifierProblem('é'.repeat(31))).toBeUndefined();
  });

  it('for tables come from the template, the topic with characters outside [A-Za-z0-9_] as _', () => {
    expect(tableForTopic('${topic}', 'shop.orders-v2')).toBe('shop_orders_v2');
    expect(tableForTopic('raw_${topic}', 'cdc.Users')).toBe('raw_cdc_Users');
    expect(tableForTopic('fixed', 'anything')).toBe('fixed');
    expect(() => tableForTopic('${topic}', 'x'.repeat(64))).toThrow(TributaryError);
  });
});
