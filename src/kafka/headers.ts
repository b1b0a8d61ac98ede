import type { RecordHeader } from '../sdk/record.ts';

/**
 * Conversion between Tributary's ordered header list and the header map kafkajs uses on the wire
 * (`IHeaders`: one property per key, an array when the key repeats).
 *
 * What survives a round trip: every header, repeated keys, the order of values within each key, and
 * null values (Kafka allows a header with no value). What the map shape cannot keep, so neither
 * direction pretends to: the interleaving of different keys (`a, b, a` is written as `a, a, b`), and
 * the position of integer-like keys such as `"1"`, which JavaScript always enumerates first. Both
 * matter only to a reader comparing header positions across keys; `headerValue()` (last value of a
 * key) is unaffected.
 */

/** kafkajs's IHeaders, plus the null values its encoder writes as "no value" (length -1) but its types omit. */
export type KafkaHeaders = Record<string, Buffer | string | null | undefined | Array<Buffer | string | null>>;

/** Our ordered list to the kafkajs map. Values pass through as they are (strings are UTF-8 encoded by the client). */
export function toKafkaHeaders(headers: readonly RecordHeader[] | undefined): KafkaHeaders | undefined {
  if (headers === undefined || headers.length === 0) return undefined;
  // Null prototype: a header named `__proto__` or `constructor` must be data, not object machinery.
  const out: KafkaHeaders = Object.create(null) as KafkaHeaders;
  for (const { key, value } of headers) {
    const existing = out[key];
    if (existing === undefined) {
      out[key] = value;
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      out[key] = [existing, value];
    }
  }
  return out;
}

/**
 * The kafkajs map (as decoded from a fetched record) to our ordered list: keys in enumeration order,
 * each key's values in wire order. Values stay Buffers; `undefined` (absent) entries are dropped.
 */
export function fromKafkaHeaders(headers: KafkaHeaders | undefined): RecordHeader[] {
  const out: RecordHeader[] = [];
  if (headers === undefined || headers === null) return out;
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const v of value) out.push({ key, value: v });
    } else {
      out.push({ key, value });
    }
  }
  return out;
}
