import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import '../../src/kafka/kafkajs-adapter.ts';
import { exactRecordEncoder, installExactRecordEncoder, type KafkajsRecordEncoder, type KafkajsRecordInput } from '../../src/kafka/kafkajs-record-encoder.ts';

const require = createRequire(import.meta.url);

// The adapter installed the exact encoder when it loaded; `original` is kafkajs's own function.
const installedPair = installExactRecordEncoder();
if (installedPair === undefined) throw new Error('the exact record encoder is not installed (kafkajs version changed?)');
const installed = installedPair;
const { original, exact } = installed;

/** Deterministic pseudo-random source, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const TEXT = ['', 'a', 'row-42-xxxx', 'ünïcødé ✓', '\u{1F600} emoji', '\ud800 lone surrogate', 'x'.repeat(200), 'y'.repeat(5000)];

function sample(r: () => number): unknown {
  const pick = r();
  if (pick < 0.1) return null;
  if (pick < 0.15) return undefined;
  const text = TEXT[Math.floor(r() * TEXT.length)] as string;
  return pick < 0.55 ? text : Buffer.from(`${text}${Math.floor(r() * 1e6)}`, 'utf8');
}

function headerValue(r: () => number): string | Buffer {
  const v = sample(r);
  return v === null || v === undefined ? '' : (v as string | Buffer);
}

function randomRecord(r: () => number): KafkajsRecordInput {
  const headers: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const name = i % 3 === 2 ? `ключ-${i}` : `tributary.h${i}`;
    headers[name] = r() < 0.2 ? [headerValue(r), headerValue(r), headerValue(r)] : headerValue(r);
  }
  const magnitude = [0, 1, 63, 64, 8191, 8192, 2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER][Math.floor(r() * 9)] as number;
  const record: KafkajsRecordInput = {
    offsetDelta: [0, 1, 63, 64, 127, 128, 16383, 16384, 1_000_000, 2 ** 30 - 1][Math.floor(r() * 10)] as number,
    timestampDelta: r() < 0.5 ? magnitude : -magnitude,
    key: sample(r),
    value: sample(r),
  };
  if (r() < 0.8) record.headers = headers;
  return record;
}

function bytes(encoder: KafkajsRecordEncoder, record: KafkajsRecordInput): Buffer {
  return Buffer.from(encoder(record).buffer);
}

describe('exact kafkajs record encoder', () => {
  it('is what kafkajs Produce requests use', () => {
    expect(require('kafkajs/src/protocol/recordBatch/record/v0/index.js')).toBe(exact);
  });

  it('writes byte for byte what kafkajs writes', () => {
    const r = rng(20261124);
    for (let i = 0; i < 5000; i++) {
      const record = randomRecord(r);
      const ours = bytes(exact, record);
      if (!ours.equals(bytes(original, record))) expect.fail(`case ${i} differs: ${JSON.stringify(record).slice(0, 300)}`);
    }
  });

  it('writes the records the adapter produces (string keys, Buffer values, string headers) like kafkajs', () => {
    const record = {
      offsetDelta: 7,
      timestampDelta: 0,
      key: '{"id":"42"}',
      value: Buffer.from('{"data":[{"id":"42"}]}'),
      headers: { 'tributary.txn.id': '0-1-42', 'tributary.txn.row': '7', 'tributary.txn.last': 'false', 'tributary.source': 'binlog' },
    };
    expect(bytes(exact, record).equals(bytes(original, record))).toBe(true);
    expect(exact(record).size()).toBe(original(record).size());
  });

  it('leaves shapes it does not handle to kafkajs, errors included', () => {
    const calls: KafkajsRecordInput[] = [];
    const spy: KafkajsRecordEncoder = (record) => {
      calls.push(record);
      return original(record);
    };
    const wrapped = exactRecordEncoder(spy);
    const large = [{ key: 'k', value: 'v', timestampDelta: 2 ** 60 }, { key: 'k', value: 'v', timestampDelta: -(2 ** 53) }, { key: 'k', value: 'v', offsetDelta: 2 ** 31 }];
    for (const record of large) expect(bytes(wrapped, record).equals(bytes(original, record))).toBe(true);
    expect(() => wrapped({ key: 'k', value: 'v', timestampDelta: 1.5 })).toThrow();
    expect(() => wrapped({ key: 'k', value: 'v', headers: { h: null } })).toThrow();
    expect(() => wrapped({ key: 42, value: 'v' })).toThrow();
    expect(calls).toHaveLength(6);
  });
});
