import { TributaryError, errorMessage } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { formatFieldPath, lookupPath, parseFieldPath, schemaAtPath, type FieldPath } from './field-path.ts';
import { assertStructSchema, onMissingConfigSchema, readPart, requireFieldObject, targetConfigSchema, withPart, type OnMissing, type Target } from './record-part.ts';

/**
 * Kafka Connect's ExtractField: the record part becomes the value of one of its fields. `field` may
 * be a dotted path into nested objects (`after.id`; backticks quote a name holding a dot).
 *
 * A missing field gives null by default, as in Connect's schemaless mode; `onMissing: fail` makes it
 * a TRANSFORM_FAILED. A null part (tombstone, null key) passes through.
 *
 * Schema: a struct schema is replaced by the extracted field's schema. A field the schema does not
 * declare is a TRANSFORM_FAILED whatever `onMissing` says: there is no schema to give the result.
 */
export type ExtractFieldConfig = {
  target?: Target;
  field: string;
  onMissing?: OnMissing;
};

const NAME = 'extract-field';

export const extractField: TransformPlugin<ExtractFieldConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Replace the value (or key) with one of its fields, possibly nested (Kafka Connect's ExtractField).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['field'],
      properties: {
        target: targetConfigSchema,
        field: { type: 'string', minLength: 1, description: 'Field to extract; a dotted path reaches nested fields, e.g. `after.id`.' },
        onMissing: onMissingConfigSchema('the field'),
      },
    },
  },
  create(ctx) {
    return new ExtractField(ctx.config);
  },
};

class ExtractField implements Transform {
  private readonly target: Target;
  private readonly path: FieldPath;
  private readonly failOnMissing: boolean;
  private readonly doing: string;

  constructor(config: ExtractFieldConfig) {
    this.target = config.target ?? 'value';
    try {
      this.path = parseFieldPath(config.field);
    } catch (err) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: ${errorMessage(err)}`, { cause: err });
    }
    this.failOnMissing = config.onMissing === 'fail';
    this.doing = `extracting "${formatFieldPath(this.path)}" from record ${this.target}`;
  }

  apply<R extends TributaryRecord>(record: R): R {
    const { data, schema } = readPart(record, this.target);
    if (data === null || data === undefined) return record;
    requireFieldObject(data, this.doing, NAME, this.target);
    let fieldSchema;
    if (schema !== undefined) {
      assertStructSchema(schema, this.doing, NAME, this.target);
      fieldSchema = schemaAtPath(schema, this.path);
      if (fieldSchema === undefined) this.fail(`record ${this.target} schema has no field "${formatFieldPath(this.path)}"`);
    }
    const found = lookupPath(data, this.path);
    if (!found.found && this.failOnMissing) this.fail(`field "${found.missing}" is missing (onMissing: fail)`);
    return withPart(record, this.target, found.found ? found.value : null, fieldSchema);
  }

  private fail(reason: string): never {
    throw new TributaryError('TRANSFORM_FAILED', `${this.doing}: ${reason}`, { details: { transform: NAME, target: this.target, field: formatFieldPath(this.path) } });
  }
}
