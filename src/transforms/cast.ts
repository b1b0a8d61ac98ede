import { TributaryError } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Schema, SchemaField, SchemaType } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { DECIMAL } from '../serde/logical-types.ts';
import { assertStructSchema, describeType, onMissingConfigSchema, readPart, requireFieldObject, setField, targetConfigSchema, withPart, type OnMissing, type Target } from './record-part.ts';
import { SchemaCache, structWithFields } from './struct-schema.ts';

/**
 * Kafka Connect's Cast: converts fields (or the whole part) to a primitive type.
 *
 * Conversions, with the cases where this is stricter than Connect (which would crash the task or
 * silently wrap) turned into a TRANSFORM_FAILED naming the field:
 * - to an integer type: numbers truncate toward zero like Java's narrowing; a value outside the
 *   type's range fails (Java would wrap around); strings must be integer literals; booleans are 1/0;
 *   a Date is its epoch milliseconds (int64 only); a Decimal (string) truncates.
 *   int64 values past 2^53 are bigint.
 * - to float32/float64: numbers, bigints, numeric strings, booleans (1/0), Dates (epoch ms).
 * - to boolean: zero is false, any other number true; strings must be `true` or `false` (any case).
 * - to string: numbers, bigints, booleans as text, Dates as ISO-8601, bytes as base64, objects
 *   and arrays as JSON.
 * Null stays null; an absent field stays absent unless `onMissing: fail`.
 *
 * Schema: each cast field's schema takes the new type (a logical type such as Timestamp is dropped);
 * `optional` is kept.
 */
export type CastType = 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string';

export type CastConfig = {
  target?: Target;
  fields?: Record<string, CastType>;
  to?: CastType;
  onMissing?: OnMissing;
};

const NAME = 'cast';
const TYPES: readonly CastType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'];

export const cast: TransformPlugin<CastConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Convert fields, or the whole value or key, to another primitive type (Kafka Connect's Cast).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        target: targetConfigSchema,
        fields: {
          type: 'object',
          minProperties: 1,
          additionalProperties: { type: 'string', enum: [...TYPES] },
          description: 'Map of top-level field to type, e.g. `{ status: int32, ok: boolean }`.',
        },
        to: { type: 'string', enum: [...TYPES], description: 'Cast the whole value (or key) instead of fields; excludes `fields`.' },
        onMissing: onMissingConfigSchema('a field named in `fields`'),
      },
      // Each branch names its property again because ajv's strict mode wants required keys declared beside them.
      oneOf: [
        { required: ['fields'], properties: { fields: true } },
        { required: ['to'], properties: { to: true } },
      ],
    },
  },
  create(ctx) {
    return new Cast(ctx.config);
  },
};

const INT_RANGES: Record<string, readonly [bigint, bigint]> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-9223372036854775808n, 9223372036854775807n],
};

/** Why a value could not be cast; the caller adds which field. */
class Uncastable extends Error {}

class Cast implements Transform {
  private readonly target: Target;
  private readonly fields: ReadonlyMap<string, CastType> | undefined;
  private readonly to: CastType | undefined;
  private readonly failOnMissing: boolean;
  private readonly doing: string;
  private readonly schemas = new SchemaCache();

  constructor(config: CastConfig) {
    if ((config.fields === undefined) === (config.to === undefined)) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: set exactly one of fields and to`);
    }
    this.target = config.target ?? 'value';
    this.fields = config.fields === undefined ? undefined : new Map(Object.entries(config.fields));
    this.to = config.to;
    this.failOnMissing = config.onMissing === 'fail';
    this.doing = this.fields === undefined ? `casting record ${this.target} to ${this.to}` : `casting ${[...this.fields.keys()].map((f) => JSON.stringify(f)).join(', ')} in record ${this.target}`;
  }

  apply<R extends TributaryRecord>(record: R): R {
    const { data, schema } = readPart(record, this.target);
    if (data === null || data === undefined) return record;
    if (this.to !== undefined) {
      const out = this.convert(data, this.to, schema, undefined);
      return withPart(record, this.target, out, schema === undefined ? undefined : this.schemas.get(schema, (s) => retype(s, this.to as CastType)));
    }
    const fields = this.fields as ReadonlyMap<string, CastType>;
    const object = requireFieldObject(data, this.doing, NAME, this.target);
    let fieldSchemas: ReadonlyMap<string, Schema> | undefined;
    if (schema !== undefined) {
      assertStructSchema(schema, this.doing, NAME, this.target);
      fieldSchemas = new Map((schema.fields ?? []).map((f) => [f.field, f.schema]));
    }
    const out: Record<string, unknown> = { ...object };
    for (const [field, to] of fields) {
      const present = Object.prototype.hasOwnProperty.call(object, field);
      const fieldSchema = fieldSchemas?.get(field);
      if (fieldSchemas === undefined ? !present : fieldSchema === undefined) {
        if (this.failOnMissing) this.fail(fieldSchemas === undefined ? `field "${field}" is missing (onMissing: fail)` : `record ${this.target} schema has no field "${field}" (onMissing: fail)`, field);
        continue;
      }
      if (!present) continue;
      setField(out, field, this.convert(object[field], to, fieldSchema, field));
    }
    const outSchema = schema === undefined ? undefined : this.schemas.get(schema, (s) => this.deriveSchema(s));
    return withPart(record, this.target, out, outSchema);
  }

  private convert(value: unknown, to: CastType, schema: Schema | undefined, field: string | undefined): unknown {
    if (value === null || value === undefined) return value;
    try {
      return castValue(value, to, schema?.name === DECIMAL);
    } catch (err) {
      if (err instanceof Uncastable) this.fail(`${field === undefined ? 'value' : `field "${field}"`} ${err.message}`, field);
      throw err;
    }
  }

  private deriveSchema(source: Schema): Schema {
    const fields: SchemaField[] = (source.fields ?? []).map((f) => {
      const to = this.fields?.get(f.field);
      return to === undefined ? f : { field: f.field, schema: retype(f.schema, to) };
    });
    return structWithFields(source, fields);
  }

  private fail(reason: string, field: string | undefined): never {
    throw new TributaryError('TRANSFORM_FAILED', `${this.doing}: ${reason}`, { details: { transform: NAME, target: this.target, ...(field === undefined ? {} : { field }) } });
  }
}

function retype(schema: Schema, to: CastType): Schema {
  const out: Schema = { type: to as SchemaType };
  if (schema.optional !== undefined) out.optional = schema.optional;
  if (schema.doc !== undefined) out.doc = schema.doc;
  return out;
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Converts one non-null value; throws Uncastable with a reason that reads after the field name. */
export function castValue(value: unknown, to: CastType, isDecimal = false): unknown {
  switch (to) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return toInteger(value, to, isDecimal);
    case 'float32':
    case 'float64': {
      const n = toNumber(value, to);
      return to === 'float32' ? Math.fround(n) : n;
    }
    case 'boolean':
      return toBoolean(value);
    case 'string':
      return toText(value);
  }
}

function toInteger(value: unknown, to: CastType, isDecimal: boolean): number | bigint {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Uncastable(`is ${value}, which has no ${to} value`);
    n = BigInt(Math.trunc(value));
  } else if (typeof value === 'boolean') n = value ? 1n : 0n;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (INTEGER_TEXT.test(text)) n = BigInt(text);
    else if (isDecimal && DECIMAL_TEXT.test(text) && !/[eE]/.test(text)) n = BigInt(text.split('.')[0]?.replace(/^([+-]?)$/, '$10') || '0');
    else throw new Uncastable(`is ${JSON.stringify(value)}, which is not an integer`);
  } else if (value instanceof Date && to === 'int64') n = BigInt(value.getTime());
  else throw new Uncastable(`is ${describeType(value)}, which cannot be cast to ${to}`);
  const [min, max] = INT_RANGES[to] as readonly [bigint, bigint];
  if (n < min || n > max) throw new Uncastable(`is ${String(value)}, outside the range of ${to}`);
  return to === 'int64' && !Number.isSafeInteger(Number(n)) ? n : Number(n);
}

function toNumber(value: unknown, to: CastType): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return Number(value.trim());
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') throw new Uncastable(`is ${JSON.stringify(value)}, which is not a number`);
  throw new Uncastable(`is ${describeType(value)}, which cannot be cast to ${to}`);
}

function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw new Uncastable(`is ${JSON.stringify(value)}, which is neither true nor false`);
  }
  throw new Uncastable(`is ${describeType(value)}, which cannot be cast to boolean`);
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v));
  } catch (err) {
    throw new Uncastable(`cannot be written as JSON text: ${err instanceof Error ? err.message : String(err)}`);
  }
}
