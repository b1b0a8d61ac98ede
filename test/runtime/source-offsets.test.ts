import { describe, expect, it } from 'vitest';
import { lastOffsets } from '../../src/runtime/source-offsets.ts';

describe('lastOffsets', () => {
  it('keeps the last position per source partition, whatever the key order of the partition object', () => {
    const entries = lastOffsets([
      { sourcePartition: { file: 'a', host: 'x' }, sourceOffset: { pos: 1 } },
      { sourcePartition: { file: 'b' }, sourceOffset: { pos: 7 } },
      { sourcePartition: { host: 'x', file: 'a' }, sourceOffset: { pos: 2 } },
    ]);
    expect(entries).toEqual([
      { sourcePartition: { host: 'x', file: 'a' }, sourceOffset: { pos: 2 } },
      { sourcePartition: { file: 'b' }, sourceOffset: { pos: 7 } },
    ]);
  });

  it('is empty for no records', () => {
    expect(lastOffsets([])).toEqual([]);
  });
});
