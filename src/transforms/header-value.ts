import type { RecordHeader } from '../sdk/record.ts';

/**
 * How a field value becomes a header value. Headers carry bytes, so: strings and Buffers as they
 * are, null as a null header, numbers, bigints and booleans as their text, Dates as ISO-8601, and
 * objects and arrays as JSON text.
 */
export function toHeaderValue(value: unknown): RecordHeader['value'] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v));
}
