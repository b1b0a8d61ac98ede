import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive } from '../../src/kafka/murmur2.ts';

interface Vector {
  label: string;
  keyHex: string;
  hash: number;
  partitionFor: number[];
}

interface Fixture {
  kafkaClientsVersion: string;
  partitionCounts: number[];
  vectors: Vector[];
}

// Printed by the Java client itself (test/fixtures/murmur2/Murmur2Vectors.java), so these are the
// reference values, not our own reading of the algorithm.
const fixture = JSON.parse(readFileSync(new URL('../fixtures/murmur2/murmur2-vectors.json', import.meta.url), 'utf8')) as Fixture;

describe('murmur2 against the Java client', () => {
  it('has a fixture covering every tail length and the empty key', () => {
    expect(fixture.vectors.length).toBeGreaterThanOrEqual(200);
    const lengths = new Set(fixture.vectors.map((v) => v.keyHex.length / 2));
    for (let len = 0; len <= 40; len++) expect(lengths.has(len)).toBe(true);
  });

  it.each(fixture.vectors.map((v) => [v.label, v] as const))('hash of %s', (_label, v) => {
    expect(murmur2(Buffer.from(v.keyHex, 'hex'))).toBe(v.hash);
  });

  it.each(fixture.vectors.map((v) => [v.label, v] as const))('partition of %s', (_label, v) => {
    const key = Buffer.from(v.keyHex, 'hex');
    fixture.partitionCounts.forEach((n, i) => expect(partitionForKey(key, n)).toBe(v.partitionFor[i]));
  });

  it('toPositive clears the sign bit like Java, unlike Math.abs', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(123)).toBe(123);
  });

  it('rejects a partition count that is not a positive integer', () => {
    expect(() => partitionForKey(Buffer.from('k'), 0)).toThrow(RangeError);
    expect(() => partitionForKey(Buffer.from('k'), 1.5)).toThrow(RangeError);
  });
});
