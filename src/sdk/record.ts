import type { Schema } from './schema.ts';

/**
 * A record header. Kafka allows repeated keys, so headers are an ordered list, not a map.
 * Values are bytes on the wire; strings are UTF-8 encoded by the runtime when producing.
 */
export interface RecordHeader {
  key: string;
  value: Buffer | string | null;
}

/**
 * What transforms see: the fields common to records on their way into a topic and out of one
 * (Kafka Connect's ConnectRecord). `key` and `value` are plain JS values (objects, strings,
 * numbers, bigint, Buffer, null) before serialization and after deserialization.
 */
export interface TributaryRecord {
  /** Destination (source side) or origin (sink side) topic. */
  topic: string;
  /** Explicit partition; undefined lets the partitioner choose (murmur2 of the key, else round-robin). */
  partition?: number;
  key: unknown;
  value: unknown;
  keySchema?: Schema;
  valueSchema?: Schema;
  /** Milliseconds since the epoch. */
  timestamp?: number;
  headers: RecordHeader[];
}

/**
 * A record produced by a source task. `sourcePartition` names the stream within the source (a file,
 * a binlog server) and `sourceOffset` the position just after this record in it; both must be
 * JSON-serializable. The runtime persists the offset of the last record of each acknowledged batch,
 * and hands it back to the task on restart.
 */
export interface SourceRecord extends TributaryRecord {
  sourcePartition: Record<string, unknown>;
  sourceOffset: Record<string, unknown>;
}

/** A record delivered to a sink task, with its coordinates in Kafka. */
export interface SinkRecord extends TributaryRecord {
  partition: number;
  /** Kafka offset as a decimal string (offsets can exceed 2^53). */
  offset: string;
  timestamp: number;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export function headerValue(record: TributaryRecord, key: string): string | undefined {
  for (let i = record.headers.length - 1; i >= 0; i--) {
    const h = record.headers[i];
    if (h !== undefined && h.key === key) {
      if (h.value === null) return undefined;
      return typeof h.value === 'string' ? h.value : h.value.toString('utf8');
    }
  }
  return undefined;
}
