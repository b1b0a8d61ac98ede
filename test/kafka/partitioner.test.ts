import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPartitioner, type PartitionInfo } from '../../src/kafka/partitioner.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/murmur2/murmur2-vectors.json', import.meta.url), 'utf8')) as {
  partitionCounts: number[];
  vectors: Array<{ keyHex: string; partitionFor: number[] }>;
};

function partitions(n: number, leaderless: number[] = []): PartitionInfo[] {
  return Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: leaderless.includes(i) ? -1 : 1 }));
}

describe('partitioner', () => {
  it('places keyed records where the Java producer does', () => {
    const partition = createPartitioner();
    for (const v of fixture.vectors) {
      fixture.partitionCounts.forEach((n, i) => {
        expect(partition({ topic: 't', partitionMetadata: partitions(n), message: { key: Buffer.from(v.keyHex, 'hex') } })).toBe(v.partitionFor[i]);
      });
    }
  });

  it('keeps a key on its partition while that partition has no leader', () => {
    const partition = createPartitioner();
    const key = Buffer.from('user-1');
    const healthy = partition({ topic: 't', partitionMetadata: partitions(6), message: { key } });
    expect(partition({ topic: 't', partitionMetadata: partitions(6, [healthy]), message: { key } })).toBe(healthy);
  });

  it('hashes string keys as their UTF-8 bytes', () => {
    const partition = createPartitioner();
    const meta = partitions(12);
    expect(partition({ topic: 't', partitionMetadata: meta, message: { key: 'Straße' } })).toBe(
      partition({ topic: 't', partitionMetadata: meta, message: { key: Buffer.from('Straße', 'utf8') } }),
    );
  });

  it('respects an explicit partition, even with a key', () => {
    const partition = createPartitioner();
    expect(partition({ topic: 't', partitionMetadata: partitions(6), message: { key: Buffer.from('k'), partition: 4 } })).toBe(4);
    expect(partition({ topic: 't', partitionMetadata: partitions(6), message: { key: null, partition: 0 } })).toBe(0);
  });

  it('spreads null keys evenly across partitions, round-robin per topic', () => {
    const partition = createPartitioner({ random: () => 0.5 });
    const counts = new Array<number>(6).fill(0);
    const seen: number[] = [];
    for (let i = 0; i < 600; i++) {
      const p = partition({ topic: 'spread', partitionMetadata: partitions(6), message: { key: null } });
      counts[p]!++;
      if (i < 7) seen.push(p);
    }
    expect(counts).toEqual([100, 100, 100, 100, 100, 100]);
    // Starts where `random` says (0.5 of 6 → 3), then walks the partitions in order.
    expect(seen).toEqual([3, 4, 5, 0, 1, 2, 3]);
    // Another topic has its own counter.
    expect(partition({ topic: 'other', partitionMetadata: partitions(6), message: {} })).toBe(3);
  });

  it('skips partitions without a leader for null keys', () => {
    const partition = createPartitioner({ random: () => 0 });
    const picked = new Set<number>();
    for (let i = 0; i < 30; i++) picked.add(partition({ topic: 't', partitionMetadata: partitions(6, [1, 4]), message: { key: null } }));
    expect([...picked].sort()).toEqual([0, 2, 3, 5]);
  });

  it('still spreads when no partition has a leader (the send then waits or fails in the client)', () => {
    const partition = createPartitioner({ random: () => 0 });
    const picked = new Set<number>();
    for (let i = 0; i < 3; i++) picked.add(partition({ topic: 't', partitionMetadata: partitions(3, [0, 1, 2]), message: { key: null } }));
    expect(picked.size).toBe(3);
  });

  it('fails clearly on a topic with no partitions', () => {
    const partition = createPartitioner();
    expect(() => partition({ topic: 'empty', partitionMetadata: [], message: { key: null } })).toThrow(/empty/);
  });
});
