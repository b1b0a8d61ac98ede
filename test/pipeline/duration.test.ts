import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/pipeline/duration.ts';

describe('parseDuration', () => {
  it('reads units and bare milliseconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration(1200)).toBe(1200);
    expect(parseDuration(0)).toBe(0);
  });

  it('rejects anything else with CONFIG_INVALID', () => {
    for (const bad of ['soon', '5 m', '-1s', '1d', '']) expect(() => parseDuration(bad)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => parseDuration(-1)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
