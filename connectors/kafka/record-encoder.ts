import { Buffer } from 'node:buffer';
import { stringifyJson, type RecordHeader, type SinkRecord } from '../../src/sdk/index.ts';
import type { KafkaSinkConfig, KeyFormat, ValueFormat } from './config.ts';

/** A record ready for the producer: bytes, destination and what travels with it. */
export interface OutputRecord {
  topic: string;
  /** Set only with `partitioning: input`; otherwise the partitioner decides from the key. */
  partition?: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  timestamp: number;
}

/**
 * Turns deserialized sink records back into bytes for the output topic. Pure: no I/O, so a record
 * that cannot be encoded is found before a transaction begins. Throws a plain Error naming the
 * problem; the sink reports it as SINK_RECORD_REJECTED with the record's offset.
 */
export class RecordEncoder {
  private readonly topicOf: (record: SinkRecord) => string;

  constructor(private readonly config: Pick<KafkaSinkConfig, 'topic' | 'keyFormat' | 'valueFormat' | 'keyField' | 'partitioning'>) {
    this.topicOf = compileTopic(config.topic);
  }

  encode(record: SinkRecord): OutputRecord {
    const keyData = this.config.keyField === null ? record.key : field(record.value, this.config.keyField);
    const out: OutputRecord = {
      topic: this.topicOf(record),
      key: encodeKey(keyData, this.config.keyFormat),
      value: encodeValue(record.value, this.config.valueFormat),
      headers: record.headers,
      timestamp: record.timestamp,
    };
    if (this.config.partitioning === 'input') out.partition = record.partition;
    return out;
  }
}

/** `${topic}` is the only placeholder (the config schema allows no other). */
function compileTopic(template: string): (record: SinkRecord) => string {
  if (!template.includes('${topic}')) return () => template;
  const parts = template.split('${topic}');
  return (record) => parts.join(record.topic);
}

function field(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Buffer.isBuffer(current)) {
      throw new Error(`keyField "${path}": the record value has no field "${key}"`);
    }
    if (!Object.prototype.hasOwnProperty.call(current, key)) throw new Error(`keyField "${path}": the record value has no field "${key}"`);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function encodeKey(data: unknown, format: KeyFormat): Buffer | null {
  try {
    return encode(data, format);
  } catch (err) {
    throw new Error(`encoding the key as ${format}: ${(err as Error).message}`, { cause: err });
  }
}

function encodeValue(data: unknown, format: ValueFormat): Buffer | null {
  try {
    return encode(data, format);
  } catch (err) {
    throw new Error(`encoding the value as ${format}: ${(err as Error).message}`, { cause: err });
  }
}

/** null and undefined stay null (a null key, a tombstone) in every format. */
function encode(data: unknown, format: KeyFormat | ValueFormat): Buffer | null {
  if (data === null || data === undefined) return null;
  switch (format) {
    case 'json':
      return Buffer.from(stringifyJson(data), 'utf8');
    case 'string':
      if (typeof data === 'string') return Buffer.from(data, 'utf8');
      if (typeof data === 'number' || typeof data === 'bigint' || typeof data === 'boolean') return Buffer.from(String(data), 'utf8');
      throw new Error(`expected a string, number or boolean, got ${describe(data)}`);
    case 'bytes':
      if (Buffer.isBuffer(data)) return data;
      if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      throw new Error(`expected bytes, got ${describe(data)}`);
  }
}

function describe(data: unknown): string {
  if (data instanceof Uint8Array) return 'bytes';
  if (Array.isArray(data)) return 'an array';
  return typeof data === 'object' ? 'an object' : `a ${typeof data}`;
}
