import { TributaryError } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Schema, SchemaField } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { optionalTimestampSchema } from '../serde/logical-types.ts';
import { assertStructSchema, readPart, requireFieldObject, setField, targetConfigSchema, withPart, type Target } from './record-part.ts';
import { SchemaCache, structWithFields } from './struct-schema.ts';

/**
 * Kafka Connect's InsertField: adds fields from the record's coordinates or a static value.
 *
 * - A coordinate the record does not have is skipped, not written as null: `partition` before the
 *   partitioner chose one, `offset` on the source side (only sink records have offsets), `timestamp`
 *   when the source set none. (Connect fails on a source record with `offset.field`; here one config
 *   can serve both sides.)
 * - `timestamp` is inserted as epoch milliseconds (a number); `offset` as a number, or a bigint past
 *   2^53 (offsets are decimal strings on sink records).
 * - An existing field of the same name is overwritten.
 * - A null part (a tombstone, a null key) passes through unchanged, as in Connect.
 *
 * Schema: when the part carries a struct schema, the inserted fields are appended to it (replacing a
 * same-named field in place), all optional, typed like Connect's: topic string, partition int32,
 * offset int64, timestamp Timestamp, static value string/int64/float64/boolean after its YAML type.
 * Connect's `!` suffix for required fields is not supported: a skipped coordinate must stay valid.
 */
export type InsertFieldConfig = {
  target?: Target;
  topicField?: string;
  partitionField?: string;
  offsetField?: string;
  timestampField?: string;
  staticField?: string;
  staticValue?: string | number | boolean;
};

const NAME = 'insert-field';

const fieldName = (what: string) => ({ type: 'string', minLength: 1, description: `Field to receive ${what}.` });

export const insertField: TransformPlugin<InsertFieldConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Insert fields holding the record's topic, partition, offset, timestamp or a static value (Kafka Connect's InsertField).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        target: targetConfigSchema,
        topicField: fieldName('the topic name'),
        partitionField: fieldName('the partition number, when the record has one'),
        offsetField: fieldName('the Kafka offset; only sink-side records have one, elsewhere nothing is inserted'),
        timestampField: fieldName('the record timestamp in epoch milliseconds, when the record has one'),
        staticField: fieldName('`staticValue`'),
        staticValue: { type: ['string', 'number', 'boolean'], description: 'Value written to `staticField` on every record.' },
      },
      dependencies: { staticField: ['staticValue'], staticValue: ['staticField'] },
    },
  },
  create(ctx) {
    return new InsertField(ctx.config);
  },
};

/** One field to insert: where its value comes from and its schema when the part has one. */
interface Insertion {
  field: string;
  schema: Schema;
  /** undefined: the record has no such coordinate, so nothing is inserted. */
  read(record: TributaryRecord): unknown;
}

class InsertField implements Transform {
  private readonly target: Target;
  private readonly insertions: Insertion[];
  private readonly doing: string;
  private readonly schemas = new SchemaCache();

  constructor(config: InsertFieldConfig) {
    this.target = config.target ?? 'value';
    this.insertions = planInsertions(config);
    this.doing = `inserting ${this.insertions.map((i) => JSON.stringify(i.field)).join(', ')} into record ${this.target}`;
  }

  apply<R extends TributaryRecord>(record: R): R {
    const { data, schema } = readPart(record, this.target);
    if (data === null || data === undefined) return record;
    const object = requireFieldObject(data, this.doing, NAME, this.target);
    const out: Record<string, unknown> = { ...object };
    for (const insertion of this.insertions) {
      const value = insertion.read(record);
      if (value !== undefined) setField(out, insertion.field, value);
    }
    if (schema === undefined) return withPart(record, this.target, out, undefined);
    assertStructSchema(schema, this.doing, NAME, this.target);
    return withPart(record, this.target, out, this.schemas.get(schema, (s) => this.deriveSchema(s)));
  }

  private deriveSchema(source: Schema): Schema {
    const fields: SchemaField[] = [...(source.fields ?? [])];
    for (const insertion of this.insertions) {
      const entry = { field: insertion.field, schema: insertion.schema };
      const existing = fields.findIndex((f) => f.field === insertion.field);
      if (existing >= 0) fields[existing] = entry;
      else fields.push(entry);
    }
    return structWithFields(source, fields);
  }
}

function planInsertions(config: InsertFieldConfig): Insertion[] {
  const out: Insertion[] = [];
  // Connect's order: topic, partition, offset, timestamp, static.
  if (config.topicField !== undefined) {
    out.push({ field: config.topicField, schema: { type: 'string', optional: true }, read: (r) => r.topic });
  }
  if (config.partitionField !== undefined) {
    out.push({ field: config.partitionField, schema: { type: 'int32', optional: true }, read: (r) => r.partition });
  }
  if (config.offsetField !== undefined) {
    out.push({ field: config.offsetField, schema: { type: 'int64', optional: true }, read: readOffset });
  }
  if (config.timestampField !== undefined) {
    out.push({ field: config.timestampField, schema: optionalTimestampSchema(), read: (r) => r.timestamp });
  }
  if (config.staticField !== undefined || config.staticValue !== undefined) {
    if (config.staticField === undefined || config.staticValue === undefined) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: staticField and staticValue must be set together`);
    }
    const value = config.staticValue;
    out.push({ field: config.staticField, schema: staticSchema(value), read: () => value });
  }
  if (out.length === 0) {
    throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: set at least one of topicField, partitionField, offsetField, timestampField, staticField`);
  }
  const seen = new Set<string>();
  for (const { field } of out) {
    if (seen.has(field)) throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: field "${field}" is the target of two insertions`);
    seen.add(field);
  }
  return out;
}

/** Sink records carry their offset as a decimal string; other records have none. */
function readOffset(record: TributaryRecord): number | bigint | undefined {
  const offset = (record as { offset?: unknown }).offset;
  if (typeof offset !== 'string') return undefined;
  if (!/^\d+$/.test(offset)) {
    throw new TributaryError('TRANSFORM_FAILED', `inserting the offset: record offset ${JSON.stringify(offset)} is not a decimal integer`, { details: { transform: NAME } });
  }
  const n = Number(offset);
  return Number.isSafeInteger(n) ? n : BigInt(offset);
}

function staticSchema(value: string | number | boolean): Schema {
  if (typeof value === 'string') return { type: 'string', optional: true };
  if (typeof value === 'boolean') return { type: 'boolean', optional: true };
  return { type: Number.isInteger(value) ? 'int64' : 'float64', optional: true };
}
