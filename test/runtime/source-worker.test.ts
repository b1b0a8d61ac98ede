import { describe, expect, it } from 'vitest';
import type { ProduceRecord } from '../../src/kafka/client.ts';
import { chunksOf } from '../../src/runtime/source-worker.ts';

const rec = (bytes: number): ProduceRecord => ({ topic: 't', key: null, value: Buffer.alloc(bytes) });

// Regression: one large poll batch (5000 binlog rows) became one produce request over the
// broker's 1 MiB message.max.bytes and stopped the pipeline.
describe('chunksOf (splitting a delivery into produce requests)', () => {
  it('keeps every chunk within the byte budget and every record, in order', () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({ ...rec(400), timestamp: i }));
    const chunks = chunksOf(records, 512 * 1024);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.reduce((n, r) => n + (r.value?.length ?? 0) + 64, 0)).toBeLessThanOrEqual(512 * 1024);
    expect(chunks.flat().map((r) => r.timestamp)).toEqual(records.map((r) => r.timestamp));
  });

  it('sends a record larger than the budget on its own', () => {
    const chunks = chunksOf([rec(10), rec(2000), rec(10)], 1000);
    expect(chunks.map((c) => c.length)).toEqual([1, 1, 1]);
  });

  it('makes no chunk for no records', () => {
    expect(chunksOf([], 1000)).toEqual([]);
  });
});
