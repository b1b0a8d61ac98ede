import { stringifyJson } from './json-text.ts';
import type { RecordHeader, SinkRecord } from './record.ts';

/** How a sink that writes JSON lines renders a record: the whole envelope, or just the value. */
export type LineFormat = 'envelope' | 'value';

/**
 * One output line (without the newline). `envelope`: {topic, partition, offset, key, value, headers?,
 * timestamp} with `offset` a decimal string as in SinkRecord (offsets can exceed 2^53) and `headers`
 * present only when the record has any. `value`: just the value. bigint values keep every digit,
 * bytes are base64 (see json-text.ts).
 */
export function recordLine(record: SinkRecord, format: LineFormat): string {
  if (format === 'value') return stringifyJson(record.value ?? null);
  return stringifyJson({
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key ?? null,
    value: record.value ?? null,
    headers: record.headers.length > 0 ? record.headers.map(headerJson) : undefined,
    timestamp: record.timestamp,
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Header values are bytes on the wire but almost always text, and a base64 dead-letter reason would
 * be unreadable, so bytes that are valid UTF-8 are written as a string and only other bytes as
 * `{ "base64": "..." }`.
 */
function headerJson(header: RecordHeader): { key: string; value: string | null | { base64: string } } {
  const { key, value } = header;
  if (value === null || typeof value === 'string') return { key, value };
  try {
    return { key, value: utf8.decode(value) };
  } catch {
    return { key, value: { base64: value.toString('base64') } };
  }
}
