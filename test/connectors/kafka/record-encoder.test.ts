import { describe, expect, it } from 'vitest';
import { RecordEncoder } from '../../../connectors/kafka/index.ts';
import { sinkRecord } from '../support/sink-records.ts';

const defaults = { topic: 'out', keyFormat: 'string', valueFormat: 'json', keyField: null, partitioning: 'key' } as const;

describe('kafka sink record encoder', () => {
  it('writes the key as text and the value as JSON, keeping headers and timestamp', () => {
    const encoder = new RecordEncoder(defaults);
    const out = encoder.encode(
      sinkRecord({ topic: 'in', partition: 2, offset: 7, key: '17', value: { id: 17n, big: 12345678901234567890n, raw: Buffer.from('hi') }, headers: [{ key: 'h', value: 'v' }] }),
    );
    expect(out).toEqual({
      topic: 'out',
      key: Buffer.from('17'),
      value: Buffer.from('{"id":17,"big":12345678901234567890,"raw":"aGk="}'),
      headers: [{ key: 'h', value: 'v' }],
      timestamp: 1_700_000_000_000,
    });
    expect(out).not.toHaveProperty('partition');
  });

  it('keeps null keys and tombstones null in every format', () => {
    for (const keyFormat of ['string', 'json', 'bytes'] as const) {
      for (const valueFormat of ['string', 'json', 'bytes'] as const) {
        const out = new RecordEncoder({ ...defaults, keyFormat, valueFormat }).encode(sinkRecord({ offset: 0, key: null, value: null }));
        expect([out.key, out.value]).toEqual([null, null]);
      }
    }
  });

  it('fills ${topic} with the record topic', () => {
    const out = new RecordEncoder({ ...defaults, topic: '${topic}.v2-${topic}' }).encode(sinkRecord({ topic: 'orders', offset: 0, value: 1 }));
    expect(out.topic).toBe('orders.v2-orders');
  });

  it('re-keys from a (nested) value field and writes it in the key format', () => {
    const record = sinkRecord({ offset: 0, key: 'old', value: { user: { id: 42 } } });
    expect(new RecordEncoder({ ...defaults, keyField: 'user.id' }).encode(record).key).toEqual(Buffer.from('42'));
    expect(new RecordEncoder({ ...defaults, keyField: 'user', keyFormat: 'json' }).encode(record).key).toEqual(Buffer.from('{"id":42}'));
    expect(() => new RecordEncoder({ ...defaults, keyField: 'user.name' }).encode(record)).toThrow('keyField "user.name": the record value has no field "name"');
    expect(() => new RecordEncoder({ ...defaults, keyField: 'user.id' }).encode(sinkRecord({ offset: 0, value: 'text' }))).toThrow(/has no field "user"/);
  });

  it('passes bytes through untouched and refuses what a format cannot hold', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x7b]);
    const passthrough = new RecordEncoder({ ...defaults, keyFormat: 'bytes', valueFormat: 'bytes' }).encode(sinkRecord({ offset: 0, key: bytes, value: new Uint8Array([1, 2]) }));
    expect(passthrough.key).toBe(bytes);
    expect(passthrough.value).toEqual(Buffer.from([1, 2]));
    expect(() => new RecordEncoder({ ...defaults, valueFormat: 'bytes' }).encode(sinkRecord({ offset: 0, value: 'text' }))).toThrow('encoding the value as bytes: expected bytes, got a string');
    expect(() => new RecordEncoder(defaults).encode(sinkRecord({ offset: 0, key: { a: 1 }, value: 1 }))).toThrow('encoding the key as string: expected a string, number or boolean, got an object');
    expect(() => new RecordEncoder(defaults).encode(sinkRecord({ offset: 0, value: Number.NaN }))).toThrow(/encoding the value as json/);
  });

  it('sends to the input partition number with partitioning: input', () => {
    const out = new RecordEncoder({ ...defaults, partitioning: 'input' }).encode(sinkRecord({ partition: 5, offset: 0, value: 1 }));
    expect(out.partition).toBe(5);
  });
});
