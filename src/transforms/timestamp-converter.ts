import { TributaryError, errorMessage } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Schema, SchemaField } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { DATE, MS_PER_DAY, TIME, TIMESTAMP } from '../serde/logical-types.ts';
import { compileDateFormat, type DateFormat } from './date-format.ts';
import { assertStructSchema, describeType, readPart, requireFieldObject, setField, targetConfigSchema, withPart, type Target } from './record-part.ts';
import { SchemaCache, structWithFields } from './struct-schema.ts';

/**
 * Kafka Connect's TimestampConverter: converts a timestamp field (or the whole part) between a
 * formatted string, a unix number, and Connect's Timestamp, Date and Time logical types.
 *
 * Reading: a schema decides how the input is read when there is one (Timestamp/Date/Time logical
 * types, string, int64 as unix); without one, a `Date` is a timestamp, a number or bigint is unix
 * time in `unixPrecision`, and a string is parsed with `format` (ISO-8601 when no format is set).
 * Writing: `string` uses `format` (ISO-8601 without one), `unix` writes a number in `unixPrecision`
 * (a bigint past 2^53, e.g. nanoseconds), `Timestamp`/`Date`/`Time` write a `Date` (midnight UTC for
 * Date, 1970-01-01 for Time), which JSON without schemas prints as ISO-8601.
 * All in UTC, as in Connect. Null stays null; a missing field or an unreadable value is a
 * TRANSFORM_FAILED naming both.
 */
export type TimestampKind = 'string' | 'unix' | 'Timestamp' | 'Date' | 'Time';
export type UnixPrecision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

export type TimestampConverterConfig = {
  target?: Target;
  field?: string;
  to: TimestampKind;
  format?: string;
  unixPrecision?: UnixPrecision;
};

const NAME = 'timestamp-converter';
const PER_MS: Record<UnixPrecision, number> = { seconds: 0.001, milliseconds: 1, microseconds: 1000, nanoseconds: 1_000_000 };

export const timestampConverter: TransformPlugin<TimestampConverterConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Convert a timestamp between formatted strings, unix numbers and Timestamp/Date/Time (Kafka Connect's TimestampConverter).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['to'],
      properties: {
        target: targetConfigSchema,
        field: { type: 'string', minLength: 1, description: 'Top-level field holding the timestamp; omit to convert the whole value (or key).' },
        to: { type: 'string', enum: ['string', 'unix', 'Timestamp', 'Date', 'Time'], description: 'Output type.' },
        format: {
          type: 'string',
          minLength: 1,
          description: "SimpleDateFormat pattern for reading and writing strings, e.g. `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`; without it strings are ISO-8601.",
        },
        unixPrecision: {
          type: 'string',
          enum: ['seconds', 'milliseconds', 'microseconds', 'nanoseconds'],
          default: 'milliseconds',
          description: 'Unit of unix numbers, read and written.',
        },
      },
    },
  },
  create(ctx) {
    return new TimestampConverter(ctx.config);
  },
};

const OUTPUT_SCHEMAS: Record<TimestampKind, Schema> = {
  string: { type: 'string' },
  unix: { type: 'int64' },
  Timestamp: { type: 'int64', name: TIMESTAMP, version: 1 },
  Date: { type: 'int32', name: DATE, version: 1 },
  Time: { type: 'int32', name: TIME, version: 1 },
};

/** Why a value could not be read or written; the caller adds which field. */
class Unconvertible extends Error {}

class TimestampConverter implements Transform {
  private readonly target: Target;
  private readonly field: string | undefined;
  private readonly to: TimestampKind;
  private readonly format: DateFormat | undefined;
  private readonly perMs: number;
  private readonly doing: string;
  private readonly schemas = new SchemaCache();

  constructor(config: TimestampConverterConfig) {
    this.target = config.target ?? 'value';
    this.field = config.field;
    this.to = config.to;
    try {
      this.format = config.format === undefined ? undefined : compileDateFormat(config.format);
    } catch (err) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: format ${errorMessage(err)}`, { cause: err });
    }
    this.perMs = PER_MS[config.unixPrecision ?? 'milliseconds'];
    this.doing = `converting ${this.field === undefined ? `record ${this.target}` : `field "${this.field}" of record ${this.target}`} to ${this.to}`;
  }

  apply<R extends TributaryRecord>(record: R): R {
    const { data, schema } = readPart(record, this.target);
    if (data === null || data === undefined) return record;
    if (this.field === undefined) {
      const out = this.convert(data, schema);
      return withPart(record, this.target, out, schema === undefined ? undefined : this.schemas.get(schema, (s) => outputSchema(s, this.to)));
    }
    const object = requireFieldObject(data, this.doing, NAME, this.target);
    let fieldSchema: Schema | undefined;
    if (schema !== undefined) {
      assertStructSchema(schema, this.doing, NAME, this.target);
      fieldSchema = schema.fields?.find((f) => f.field === this.field)?.schema;
      if (fieldSchema === undefined) this.fail(`record ${this.target} schema has no field "${this.field}"`);
    } else if (!Object.prototype.hasOwnProperty.call(object, this.field)) {
      this.fail(`field "${this.field}" is missing`);
    }
    const out = { ...object };
    setField(out, this.field, this.convert(object[this.field], fieldSchema));
    const outSchema = schema === undefined ? undefined : this.schemas.get(schema, (s) => this.deriveSchema(s));
    return withPart(record, this.target, out, outSchema);
  }

  private convert(value: unknown, schema: Schema | undefined): unknown {
    if (value === null || value === undefined) return value;
    try {
      const ms = this.read(value, schema);
      // JS Dates span +-8.64e15 ms; beyond that toISOString and friends throw RangeError.
      if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new Unconvertible(`${String(value)} is outside the range of dates`);
      return this.write(ms);
    } catch (err) {
      if (err instanceof Unconvertible) this.fail(err.message);
      throw err;
    }
  }

  /** Epoch milliseconds of the input. */
  private read(value: unknown, schema: Schema | undefined): number {
    const kind = schema === undefined ? undefined : inputKind(schema);
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new Unconvertible('the value is an invalid Date');
      return value.getTime();
    }
    if (typeof value === 'string' && (kind === undefined || kind === 'string')) return this.parse(value);
    if ((typeof value === 'number' || typeof value === 'bigint') && kind !== 'string') {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new Unconvertible(`the value ${value} is not a time`);
      switch (kind) {
        case 'Date':
          return Number(value) * MS_PER_DAY;
        case 'Time':
        case 'Timestamp':
          return Number(value);
        default:
          // Through a double: exact to the millisecond for any date Date can hold, even from nanoseconds.
          return Math.floor(Number(value) / this.perMs);
      }
    }
    throw new Unconvertible(`the value is ${describeType(value)}${kind === undefined ? '' : ` but the schema says ${kind}`}, which is not a timestamp`);
  }

  private parse(text: string): number {
    if (this.format !== undefined) {
      const ms = this.format.parse(text);
      if (ms === undefined) throw new Unconvertible(`${JSON.stringify(text)} does not match the format "${this.format.pattern}"`);
      return ms;
    }
    // ISO-8601 only: Date.parse accepts other shapes too, and reads zone-less date-times as local time.
    if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
      throw new Unconvertible(`${JSON.stringify(text)} is not an ISO-8601 timestamp (set format to read other layouts)`);
    }
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) || text.length === 10 ? text : `${text}Z`;
    const ms = Date.parse(zoned.replace(' ', 'T'));
    if (Number.isNaN(ms)) throw new Unconvertible(`${JSON.stringify(text)} is not a valid date`);
    return ms;
  }

  private write(ms: number): unknown {
    switch (this.to) {
      case 'string':
        return this.format === undefined ? new Date(ms).toISOString() : this.format.format(ms);
      case 'unix': {
        const n = Math.floor(ms * this.perMs);
        return Number.isSafeInteger(n) ? n : BigInt(Math.floor(ms)) * BigInt(this.perMs);
      }
      case 'Timestamp':
        return new Date(ms);
      case 'Date':
        return new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY);
      case 'Time':
        return new Date(((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
    }
  }

  private deriveSchema(source: Schema): Schema {
    const fields: SchemaField[] = (source.fields ?? []).map((f) => (f.field === this.field ? { field: f.field, schema: outputSchema(f.schema, this.to) } : f));
    return structWithFields(source, fields);
  }

  private fail(reason: string): never {
    throw new TributaryError('TRANSFORM_FAILED', `${this.doing}: ${reason}`, { details: { transform: NAME, target: this.target, ...(this.field === undefined ? {} : { field: this.field }) } });
  }
}

function inputKind(schema: Schema): TimestampKind | undefined {
  if (schema.name === TIMESTAMP) return 'Timestamp';
  if (schema.name === DATE) return 'Date';
  if (schema.name === TIME) return 'Time';
  if (schema.type === 'string') return 'string';
  if (schema.type === 'int64' || schema.type === 'int32') return 'unix';
  return undefined;
}

function outputSchema(source: Schema, to: TimestampKind): Schema {
  const out: Schema = { ...OUTPUT_SCHEMAS[to] };
  if (source.optional !== undefined) out.optional = source.optional;
  return out;
}
