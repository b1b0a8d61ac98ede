import { TributaryError } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Schema, SchemaType } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { DATE, DECIMAL, DECIMAL_SCALE, TIME, TIMESTAMP } from '../serde/logical-types.ts';
import {
  assertStructSchema,
  describeType,
  isFieldObject,
  onMissingConfigSchema,
  readPart,
  requireFieldObject,
  setField,
  targetConfigSchema,
  withPart,
  type OnMissing,
  type Target,
} from './record-part.ts';
import { SchemaCache } from './struct-schema.ts';

/**
 * Kafka Connect's MaskField: replaces field values with the empty value of their type (0, false, "",
 * empty bytes/array/map, the epoch for dates, zero for decimals), or with `replacement` converted to
 * the field's type (numbers, strings, booleans and decimals only).
 *
 * The type comes from the field's schema when the part has one, else from the JS value. A null field
 * stays null and an absent field stays absent (nothing to hide); `onMissing: fail` makes absence an
 * error instead. Nested objects (structs) cannot be masked: drop them with replace-field. A null part
 * (tombstone, null key) passes through; Connect fails on those, but there is nothing to mask.
 *
 * Schema: unchanged, since every masked value keeps its field's type.
 */
export type MaskFieldConfig = {
  target?: Target;
  fields: string[];
  replacement?: string;
  onMissing?: OnMissing;
};

const NAME = 'mask-field';

export const maskField: TransformPlugin<MaskFieldConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Replace field values with their type's empty value or a replacement string (Kafka Connect's MaskField).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['fields'],
      properties: {
        target: targetConfigSchema,
        fields: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          minItems: 1,
          uniqueItems: true,
          description: 'Top-level fields to mask.',
        },
        replacement: {
          type: 'string',
          minLength: 1,
          description:
            "Value to write instead of the empty value, converted to the field's type: a number for numeric fields, `true`/`false` for booleans. Fields of other types (bytes, arrays, maps, dates) cannot take one.",
        },
        onMissing: onMissingConfigSchema('a field named in `fields`'),
      },
    },
  },
  create(ctx) {
    return new MaskField(ctx.config);
  },
};

/** The replacement pre-parsed into every type it can stand for; undefined where it cannot. */
interface Replacement {
  text: string;
  number: number | undefined;
  integer: bigint | undefined;
  boolean: boolean | undefined;
}

/** Why a value could not be masked; the caller adds which field. */
class Unmaskable extends Error {}

class MaskField implements Transform {
  private readonly target: Target;
  private readonly fields: readonly string[];
  private readonly replacement: Replacement | undefined;
  private readonly failOnMissing: boolean;
  private readonly doing: string;
  private readonly fieldSchemas = new SchemaCache<ReadonlyMap<string, Schema>>();

  constructor(config: MaskFieldConfig) {
    if (!Array.isArray(config.fields) || config.fields.length === 0) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: fields must list at least one field`);
    }
    this.target = config.target ?? 'value';
    this.fields = [...config.fields];
    this.replacement = config.replacement === undefined ? undefined : parseReplacement(config.replacement);
    this.failOnMissing = config.onMissing === 'fail';
    this.doing = `masking ${this.fields.map((f) => JSON.stringify(f)).join(', ')} in record ${this.target}`;
  }

  apply<R extends TributaryRecord>(record: R): R {
    const { data, schema } = readPart(record, this.target);
    if (data === null || data === undefined) return record;
    const object = requireFieldObject(data, this.doing, NAME, this.target);
    let fieldSchemas: ReadonlyMap<string, Schema> | undefined;
    if (schema !== undefined) {
      assertStructSchema(schema, this.doing, NAME, this.target);
      fieldSchemas = this.fieldSchemas.get(schema, (s) => new Map((s.fields ?? []).map((f) => [f.field, f.schema])));
    }
    const out: Record<string, unknown> = { ...object };
    for (const field of this.fields) {
      const fieldSchema = fieldSchemas?.get(field);
      const present = Object.prototype.hasOwnProperty.call(object, field);
      // With a schema, "missing" means the schema lacks the field; an absent key is just a null.
      if (fieldSchemas === undefined ? !present : fieldSchema === undefined) {
        if (this.failOnMissing) this.fail(field, fieldSchemas === undefined ? `field "${field}" is missing` : `record ${this.target} schema has no field "${field}"`);
        continue;
      }
      if (!present) continue;
      const value = object[field];
      if (value === null || value === undefined) continue;
      try {
        setField(out, field, fieldSchema === undefined ? maskByValue(value, this.replacement) : maskBySchema(value, fieldSchema, this.replacement));
      } catch (err) {
        if (err instanceof Unmaskable) this.fail(field, `field "${field}" ${err.message}`);
        throw err;
      }
    }
    return withPart(record, this.target, out, schema);
  }

  private fail(field: string, reason: string): never {
    throw new TributaryError('TRANSFORM_FAILED', `${this.doing}: ${reason}`, { details: { transform: NAME, target: this.target, field } });
  }
}

const DECIMAL_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER_LITERAL = /^[+-]?\d+$/;

function parseReplacement(text: string): Replacement {
  return {
    text,
    number: DECIMAL_LITERAL.test(text) ? Number(text) : undefined,
    integer: INTEGER_LITERAL.test(text) ? BigInt(text) : undefined,
    boolean: text === 'true' ? true : text === 'false' ? false : undefined,
  };
}

/** Schemaless: the JS type decides, like Connect's masking of schemaless maps. */
function maskByValue(value: unknown, replacement: Replacement | undefined): unknown {
  switch (typeof value) {
    case 'string':
      return replacement === undefined ? '' : replacement.text;
    case 'number':
      return replacement === undefined ? 0 : replacementNumber(replacement, 'a number');
    case 'bigint':
      return replacement === undefined ? 0n : replacementInteger(replacement, 'an integer');
    case 'boolean':
      return replacement === undefined ? false : replacementBoolean(replacement);
  }
  if (replacement !== undefined) throw new Unmaskable(`is ${describeType(value)}, which cannot take a replacement string`);
  if (value instanceof Date) return new Date(0);
  if (value instanceof Uint8Array) return Buffer.alloc(0);
  if (Array.isArray(value)) return [];
  if (value instanceof Map) return new Map();
  if (isFieldObject(value)) return {};
  throw new Unmaskable(`is ${describeType(value)}, which cannot be masked`);
}

const INT_RANGES: Partial<Record<SchemaType, readonly [bigint, bigint]>> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-9223372036854775808n, 9223372036854775807n],
};

/** With a schema: the field's declared type decides, so the masked value still fits the schema. */
function maskBySchema(value: unknown, schema: Schema, replacement: Replacement | undefined): unknown {
  switch (schema.name) {
    case DECIMAL:
      return maskDecimal(value, schema, replacement);
    case DATE:
    case TIME:
    case TIMESTAMP:
      if (replacement !== undefined) throw new Unmaskable(`is a ${schema.name.slice(schema.name.lastIndexOf('.') + 1)}, which cannot take a replacement string`);
      return value instanceof Date ? new Date(0) : 0;
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64': {
      if (replacement === undefined) return typeof value === 'bigint' ? 0n : 0;
      const n = replacementInteger(replacement, `an ${schema.type}`);
      const [min, max] = INT_RANGES[schema.type] ?? [0n, 0n];
      if (n < min || n > max) throw new Unmaskable(`is ${schema.type} and replacement "${replacement.text}" is out of its range`);
      return typeof value === 'bigint' || !Number.isSafeInteger(Number(n)) ? n : Number(n);
    }
    case 'float32':
    case 'float64':
      return replacement === undefined ? 0 : replacementNumber(replacement, `a ${schema.type}`);
    case 'boolean':
      return replacement === undefined ? false : replacementBoolean(replacement);
    case 'string':
      return replacement === undefined ? '' : replacement.text;
  }
  if (replacement !== undefined) throw new Unmaskable(`is ${schema.type === 'array' ? 'an' : 'a'} ${schema.type}, which cannot take a replacement string`);
  switch (schema.type) {
    case 'bytes':
      return Buffer.alloc(0);
    case 'array':
      return [];
    case 'map':
      return value instanceof Map ? new Map() : {};
    default:
      throw new Unmaskable('is a struct, which cannot be masked (drop it with replace-field instead)');
  }
}

/** Decimals keep their JS form (string, number or bigint); a masked string has the schema's scale. */
function maskDecimal(value: unknown, schema: Schema, replacement: Replacement | undefined): unknown {
  if (typeof value === 'number') return replacement === undefined ? 0 : replacementNumber(replacement, 'a Decimal');
  if (typeof value === 'bigint') return replacement === undefined ? 0n : replacementInteger(replacement, 'a Decimal');
  if (replacement !== undefined) {
    if (replacement.number === undefined) throw new Unmaskable(`is a Decimal and replacement "${replacement.text}" is not a number`);
    return replacement.text;
  }
  const scale = Number(schema.parameters?.[DECIMAL_SCALE] ?? 0);
  return scale > 0 ? `0.${'0'.repeat(scale)}` : '0';
}

function replacementNumber(replacement: Replacement, what: string): number {
  if (replacement.number === undefined || !Number.isFinite(replacement.number)) {
    throw new Unmaskable(`is ${what} and replacement "${replacement.text}" is not a number`);
  }
  return replacement.number;
}

function replacementInteger(replacement: Replacement, what: string): bigint {
  if (replacement.integer === undefined) throw new Unmaskable(`is ${what} and replacement "${replacement.text}" is not an integer`);
  return replacement.integer;
}

function replacementBoolean(replacement: Replacement): boolean {
  if (replacement.boolean === undefined) throw new Unmaskable(`is a boolean and replacement "${replacement.text}" is not true or false`);
  return replacement.boolean;
}
