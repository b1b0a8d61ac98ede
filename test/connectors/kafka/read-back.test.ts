import { describe, expect, it } from 'vitest';
import { judgeReadBack } from '../../../connectors/kafka/read-back.ts';

describe('kafka sink: judging a failed transaction by the committed offset read back', () => {
  it('committed when the offset is the one the failed attempt was committing', () => {
    expect(judgeReadBack({ known: 10n, attempted: 20n, readBack: 20n })).toBe('committed');
    expect(judgeReadBack({ known: null, attempted: 20n, readBack: 20n })).toBe('committed');
  });

  it('not committed when the offset is still the one this producer knew', () => {
    expect(judgeReadBack({ known: 10n, attempted: 20n, readBack: 10n })).toBe('not-committed');
    expect(judgeReadBack({ known: null, attempted: 20n, readBack: null })).toBe('not-committed');
  });

  it('moved when anyone else has committed for the partition since', () => {
    expect(judgeReadBack({ known: 10n, attempted: 20n, readBack: 15n })).toBe('moved');
    expect(judgeReadBack({ known: 10n, attempted: 20n, readBack: 25n })).toBe('moved');
    expect(judgeReadBack({ known: 10n, attempted: 20n, readBack: 5n })).toBe('moved');
    expect(judgeReadBack({ known: 10n, attempted: 20n, readBack: null })).toBe('moved');
    expect(judgeReadBack({ known: null, attempted: 20n, readBack: 3n })).toBe('moved');
  });
});
