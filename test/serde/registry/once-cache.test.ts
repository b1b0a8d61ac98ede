import { describe, expect, it } from 'vitest';
import { OnceCache } from '../../../src/serde/registry/once-cache.ts';

describe('OnceCache', () => {
  it('resolves a key once for concurrent misses, then answers synchronously', async () => {
    let calls = 0;
    const cache = new OnceCache<number, string>(async (id) => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return `schema ${id}`;
    });
    const first = cache.get(1);
    const second = cache.get(1);
    expect(first).toBeInstanceOf(Promise);
    expect(second).toBe(first);
    expect(await first).toBe('schema 1');
    expect(cache.get(1)).toBe('schema 1');
    expect(calls).toBe(1);
  });

  it('does not keep a failure: the next call tries again', async () => {
    let calls = 0;
    const cache = new OnceCache<string, number>(async () => {
      calls++;
      if (calls === 1) throw new Error('registry down');
      return 7;
    });
    await expect(cache.get('s')).rejects.toThrow('registry down');
    expect(await cache.get('s')).toBe(7);
    expect(cache.get('s')).toBe(7);
    expect(calls).toBe(2);
  });
});
