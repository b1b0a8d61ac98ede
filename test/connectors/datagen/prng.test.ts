import { describe, expect, it } from 'vitest';
import { Xoshiro128, recordRandom } from '../../../connectors/datagen/prng.ts';

describe('datagen prng', () => {
  it('matches the xoshiro128** reference outputs for state {1, 2, 3, 4}', () => {
    const rng = new Xoshiro128(1, 2, 3, 4);
    const outputs = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(outputs).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('is a pure function of (seed, id, salt)', () => {
    const draw = (seed: number, id: number, salt: number): number[] => {
      const rng = recordRandom(seed, id, salt);
      return Array.from({ length: 4 }, () => rng.nextUint32());
    };
    expect(draw(1, 7, 3)).toEqual(draw(1, 7, 3));
    expect(draw(1, 7, 3)).not.toEqual(draw(2, 7, 3));
    expect(draw(1, 7, 3)).not.toEqual(draw(1, 8, 3));
    expect(draw(1, 7, 3)).not.toEqual(draw(1, 7, 4));
    // Seeds beyond 32 bits still matter (the high word feeds the hash).
    expect(draw(2 ** 40, 7, 3)).not.toEqual(draw(2 ** 41, 7, 3));
  });

  it('keeps nextFloat in [0, 1) and nextInt in [0, n)', () => {
    const rng = recordRandom(42, 1, 0);
    for (let i = 0; i < 10_000; i++) {
      const f = rng.nextFloat();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const k = rng.nextInt(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });
});
