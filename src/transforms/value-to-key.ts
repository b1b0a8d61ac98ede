import { TributaryError } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Schema, SchemaField } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { assertStructSchema, requireFieldObject, setField } from './record-part.ts';
import { SchemaCache } from './struct-schema.ts';

/**
 * Kafka Connect's ValueToKey: the key becomes an object of the named value fields, in the order
 * `fields` lists them. Every field must be present in the value (Connect fails too): a key silently
 * missing part of itself would send updates of one row to different partitions.
 *
 * A tombstone (null value) keeps its key: there is nothing to derive one from, and a delete must
 * keep the key it already has to mean anything in a compacted topic. (Connect fails on it.)
 *
 * Schema: with a struct value schema, the key schema is a struct of the same fields' schemas.
 */
export type ValueToKeyConfig = {
  fields: string[];
};

const NAME = 'value-to-key';
const DOING = 'copying value fields into the key';

export const valueToKey: TransformPlugin<ValueToKeyConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Replace the record key with an object of fields taken from the value (Kafka Connect's ValueToKey).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['fields'],
      properties: {
        fields: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          minItems: 1,
          uniqueItems: true,
          description: 'Top-level value fields that make up the new key, in key order.',
        },
      },
    },
  },
  create(ctx) {
    return new ValueToKey(ctx.config);
  },
};

class ValueToKey implements Transform {
  private readonly fields: readonly string[];
  private readonly schemas = new SchemaCache();

  constructor(config: ValueToKeyConfig) {
    this.fields = [...config.fields];
  }

  apply<R extends TributaryRecord>(record: R): R {
    if (record.value === null || record.value === undefined) return record;
    const value = requireFieldObject(record.value, DOING, NAME, 'value');
    const key: Record<string, unknown> = {};
    for (const field of this.fields) {
      if (!Object.prototype.hasOwnProperty.call(value, field)) this.missing(field, 'value');
      setField(key, field, value[field]);
    }
    const schema = record.valueSchema;
    if (schema === undefined) {
      if (record.keySchema === undefined) return { ...record, key };
      return { ...record, key, keySchema: undefined };
    }
    assertStructSchema(schema, DOING, NAME, 'value');
    return { ...record, key, keySchema: this.schemas.get(schema, (s) => this.keySchema(s)) };
  }

  private keySchema(valueSchema: Schema): Schema {
    const fields: SchemaField[] = this.fields.map((field) => {
      const f = valueSchema.fields?.find((x) => x.field === field);
      if (f === undefined) this.missing(field, 'value schema');
      return f;
    });
    return { type: 'struct', fields };
  }

  private missing(field: string, where: string): never {
    throw new TributaryError('TRANSFORM_FAILED', `${DOING}: record ${where} has no field "${field}"`, { details: { transform: NAME, field } });
  }
}
