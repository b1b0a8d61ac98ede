import type { Schema } from '../sdk/schema.ts';

/**
 * Kafka Connect's logical types: a primitive schema plus a `name` that changes how the value is read.
 * Names are Connect's own, so schemas round-trip through Connect converters unchanged.
 *
 * JS representation (what sources, transforms and sinks see):
 * - Decimal: a decimal string with exactly `scale` fraction digits, e.g. "-12.30" (no precision lost);
 * - Date, Time, Timestamp: a `Date` after deserialization. Serializers also accept the encoded number
 *   (days since the epoch, milliseconds since midnight, milliseconds since the epoch), which is what
 *   the built-in transforms insert.
 */
export const DECIMAL = 'org.apache.kafka.connect.data.Decimal';
export const DATE = 'org.apache.kafka.connect.data.Date';
export const TIME = 'org.apache.kafka.connect.data.Time';
export const TIMESTAMP = 'org.apache.kafka.connect.data.Timestamp';

/** Connect's parameter holding a Decimal's scale. */
export const DECIMAL_SCALE = 'scale';

export const MS_PER_DAY = 86_400_000;

/** Connect's `Timestamp.builder().optional().build()`. */
export function optionalTimestampSchema(): Schema {
  return { type: 'int64', optional: true, name: TIMESTAMP, version: 1 };
}

export function decimalSchema(scale: number, optional = false): Schema {
  return { type: 'bytes', optional, name: DECIMAL, version: 1, parameters: { [DECIMAL_SCALE]: String(scale) } };
}
