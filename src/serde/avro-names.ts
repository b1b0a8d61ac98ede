import { DATE, TIME, TIMESTAMP } from './logical-types.ts';

/**
 * Names shared by the Connect ⇄ Avro schema conversions. The `connect.*` properties are the ones
 * Confluent's AvroData writes into Avro schemas and reads back, so a Connect-aware consumer
 * (AvroConverter, Debezium's sinks) restores exactly the Connect schema a Tributary source attached.
 */
export const CONNECT_NAME = 'connect.name';
export const CONNECT_VERSION = 'connect.version';
export const CONNECT_DOC = 'connect.doc';
export const CONNECT_PARAMETERS = 'connect.parameters';
/** Marks an Avro `int` that is a Connect int8 or int16. */
export const CONNECT_TYPE = 'connect.type';

/** Connect Decimal parameter holding the precision (Debezium and AvroData both use it). */
export const DECIMAL_PRECISION = 'connect.decimal.precision';
/** AvroData's precision for a Decimal that does not state one. */
export const DEFAULT_DECIMAL_PRECISION = 64;

/**
 * AvroData's encoding of an Avro enum as a Connect string: parameter `AVRO_ENUM` holds the enum's
 * full name and `AVRO_ENUM.<symbol>` each symbol, in order.
 */
export const AVRO_ENUM = 'io.confluent.connect.avro.Enum';

/** Debezium's temporal semantic types (time.precision.mode=adaptive); their values are plain numbers. */
export const DEBEZIUM_DATE = 'io.debezium.time.Date';
export const DEBEZIUM_TIME = 'io.debezium.time.Time';
export const DEBEZIUM_MICRO_TIME = 'io.debezium.time.MicroTime';
export const DEBEZIUM_TIMESTAMP = 'io.debezium.time.Timestamp';
export const DEBEZIUM_MICRO_TIMESTAMP = 'io.debezium.time.MicroTimestamp';

export type AvroPrimitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

/**
 * The Avro logical type a named Connect schema is written with, and the primitive it needs. Connect's
 * own Date/Time/Timestamp hold JS Dates; Debezium's hold the encoded number, which the serde keeps as
 * a number (only the schema carries the logical type), so both kinds read back as they were written.
 */
export const LOGICAL_FOR_CONNECT_NAME: Readonly<Record<string, { primitive: AvroPrimitive; logicalType: string }>> = {
  [DATE]: { primitive: 'int', logicalType: 'date' },
  [TIME]: { primitive: 'int', logicalType: 'time-millis' },
  [TIMESTAMP]: { primitive: 'long', logicalType: 'timestamp-millis' },
  [DEBEZIUM_DATE]: { primitive: 'int', logicalType: 'date' },
  [DEBEZIUM_TIME]: { primitive: 'int', logicalType: 'time-millis' },
  [DEBEZIUM_MICRO_TIME]: { primitive: 'long', logicalType: 'time-micros' },
  [DEBEZIUM_TIMESTAMP]: { primitive: 'long', logicalType: 'timestamp-millis' },
  [DEBEZIUM_MICRO_TIMESTAMP]: { primitive: 'long', logicalType: 'timestamp-micros' },
};

/** Connect names whose JS value is a Date (converted by the Avro logical type), as opposed to a raw number. */
export const DATE_VALUED = new Set<string>([DATE, TIME, TIMESTAMP]);

const NAME_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isAvroName(segment: string): boolean {
  return NAME_SEGMENT.test(segment);
}

/**
 * A valid Avro full name from any dotted text: each segment's invalid characters become `_`, and a
 * segment starting with a digit gets a leading `_` (as Debezium adjusts schema names).
 */
export function avroFullName(text: string): string {
  return text
    .split('.')
    .map((segment) => {
      const cleaned = segment.replace(/[^A-Za-z0-9_]/g, '_');
      if (cleaned === '') return '_';
      return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
    })
    .join('.');
}
