import { describe, expect, it } from 'vitest';
import { topicDirName } from '../../../src/broker/log/topic-config.ts';

// Regression: a legal 249-character topic name plus the "~creating"/"~delete-<uuid>" suffix (or
// upper-case encoding) passed the 255-byte file name limit; creating it failed with ENAMETOOLONG.
describe('topicDirName', () => {
  it('keeps short names readable and case-distinct', () => {
    expect(topicDirName('orders')).toBe('orders');
    expect(topicDirName('Orders')).toBe('+orders');
    expect(topicDirName('Orders')).not.toBe(topicDirName('orders'));
  });

  it.each([
    ['x'.repeat(249)],
    ['X'.repeat(249)],
    ['a'.repeat(200) + 'B'],
  ])('fits a name of %# within the file-name limit with room for suffixes', (name) => {
    const dir = topicDirName(name);
    expect(dir.length + '~delete-'.length + 36).toBeLessThanOrEqual(255);
    expect(dir).toContain('#');
  });

  it('gives distinct long names distinct directories', () => {
    expect(topicDirName('x'.repeat(248) + 'a')).not.toBe(topicDirName('x'.repeat(248) + 'b'));
  });
});
