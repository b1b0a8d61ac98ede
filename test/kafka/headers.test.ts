import { describe, expect, it } from 'vitest';
import { fromKafkaHeaders, toKafkaHeaders } from '../../src/kafka/headers.ts';
import type { RecordHeader } from '../../src/sdk/record.ts';

describe('headers', () => {
  it('round-trips repeated keys in order, nulls and bytes', () => {
    const headers: RecordHeader[] = [
      { key: 'trace', value: 'a' },
      { key: 'trace', value: Buffer.from([0xff, 0x00]) },
      { key: 'trace', value: null },
      { key: 'origin', value: 'db' },
    ];
    const wire = toKafkaHeaders(headers);
    expect(wire).toEqual(Object.assign(Object.create(null) as object, { trace: ['a', Buffer.from([0xff, 0x00]), null], origin: 'db' }));
    expect(fromKafkaHeaders(wire)).toEqual(headers);
  });

  it('keeps the first-seen order of keys but groups interleaved keys (the map shape cannot interleave)', () => {
    const wire = toKafkaHeaders([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
      { key: 'a', value: '3' },
    ]);
    expect(fromKafkaHeaders(wire).map((h) => `${h.key}=${String(h.value)}`)).toEqual(['a=1', 'a=3', 'b=2']);
  });

  it('treats __proto__ and constructor as ordinary header names', () => {
    const headers: RecordHeader[] = [
      { key: '__proto__', value: 'x' },
      { key: 'constructor', value: 'y' },
    ];
    const wire = toKafkaHeaders(headers);
    expect(Object.keys(wire ?? {})).toEqual(['__proto__', 'constructor']);
    expect(fromKafkaHeaders(wire)).toEqual(headers);
  });

  it('maps no headers to undefined and back to an empty list', () => {
    expect(toKafkaHeaders([])).toBeUndefined();
    expect(toKafkaHeaders(undefined)).toBeUndefined();
    expect(fromKafkaHeaders(undefined)).toEqual([]);
  });

  it('reads what kafkajs decodes: Buffers, arrays for repeated keys, absent entries skipped', () => {
    const decoded = { a: [Buffer.from('1'), Buffer.from('2')], b: Buffer.from('3'), c: undefined };
    expect(fromKafkaHeaders(decoded)).toEqual([
      { key: 'a', value: Buffer.from('1') },
      { key: 'a', value: Buffer.from('2') },
      { key: 'b', value: Buffer.from('3') },
    ]);
  });
});
