import type { TributaryRecord } from '../sdk/record.ts';
import type { Schema } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { readPart, targetConfigSchema, withPart, type Target } from './record-part.ts';
import { SchemaCache } from './struct-schema.ts';

/**
 * Kafka Connect's HoistField: wraps the record part in an object with one field, `{ [field]: part }`.
 * It is how a plain string (a log line, a CSV row) becomes a record other field transforms can edit.
 *
 * A null part stays null, unlike Connect (which makes `{ field: null }`): a tombstone that stopped
 * being null would no longer delete anything in a compacted topic.
 *
 * Schema: a part with a schema gets `struct { field: <that schema> }`.
 */
export type HoistFieldConfig = {
  target?: Target;
  field: string;
};

const NAME = 'hoist-field';

export const hoistField: TransformPlugin<HoistFieldConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Wrap the value (or key) in an object under one field name (Kafka Connect's HoistField).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['field'],
      properties: {
        target: targetConfigSchema,
        field: { type: 'string', minLength: 1, description: 'Name of the single field that receives the old value, e.g. `line`.' },
      },
    },
  },
  create(ctx) {
    return new HoistField(ctx.config);
  },
};

class HoistField implements Transform {
  private readonly target: Target;
  private readonly field: string;
  private readonly schemas = new SchemaCache();

  constructor(config: HoistFieldConfig) {
    this.target = config.target ?? 'value';
    this.field = config.field;
  }

  apply<R extends TributaryRecord>(record: R): R {
    const { data, schema } = readPart(record, this.target);
    if (data === null || data === undefined) return record;
    const out: Record<string, unknown> = {};
    Object.defineProperty(out, this.field, { value: data, enumerable: true, writable: true, configurable: true });
    const wrapped = schema === undefined ? undefined : this.schemas.get(schema, (s): Schema => ({ type: 'struct', fields: [{ field: this.field, schema: s }] }));
    return withPart(record, this.target, out, wrapped);
  }
}
