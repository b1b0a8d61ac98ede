import { TributaryError } from '../sdk/errors.ts';
import type { RecordHeader, TributaryRecord } from '../sdk/record.ts';
import type { Schema } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { toHeaderValue } from './header-value.ts';
import { assertStructSchema, onMissingConfigSchema, readPart, requireFieldObject, targetConfigSchema, withPart, type OnMissing, type Target } from './record-part.ts';
import { SchemaCache, structWithFields } from './struct-schema.ts';

/**
 * Kafka Connect's HeaderFrom: copies (or moves) top-level fields into headers, `fields[i]` into
 * `headers[i]`. Values become header text as `toHeaderValue` describes (strings as they are,
 * numbers as text, objects as JSON). `move` also removes the fields from the part and its schema.
 * A null part passes through; an absent field adds no header unless `onMissing: fail`.
 */
export type HeaderFromConfig = {
  target?: Target;
  fields: string[];
  headers: string[];
  operation?: 'copy' | 'move';
  onMissing?: OnMissing;
};

const NAME = 'header-from';

export const headerFrom: TransformPlugin<HeaderFromConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Copy or move fields of the value (or key) into headers (Kafka Connect's HeaderFrom).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['fields', 'headers'],
      properties: {
        target: targetConfigSchema,
        fields: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true, description: 'Top-level fields to read.' },
        headers: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'Header names, one per entry of `fields`, in the same order.' },
        operation: { type: 'string', enum: ['copy', 'move'], default: 'copy', description: '`copy` leaves the fields in place; `move` removes them.' },
        onMissing: onMissingConfigSchema('a field named in `fields`'),
      },
    },
  },
  create(ctx) {
    return new HeaderFrom(ctx.config);
  },
};

class HeaderFrom implements Transform {
  private readonly target: Target;
  private readonly pairs: ReadonlyArray<readonly [string, string]>;
  private readonly move: boolean;
  private readonly failOnMissing: boolean;
  private readonly doing: string;
  private readonly schemas = new SchemaCache();

  constructor(config: HeaderFromConfig) {
    if (config.fields.length !== config.headers.length) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: fields has ${config.fields.length} entries but headers has ${config.headers.length}; they pair up one to one`);
    }
    this.target = config.target ?? 'value';
    this.pairs = config.fields.map((f, i) => [f, config.headers[i] as string] as const);
    this.move = config.operation === 'move';
    this.failOnMissing = config.onMissing === 'fail';
    this.doing = `${this.move ? 'moving' : 'copying'} record ${this.target} fields into headers`;
  }

  apply<R extends TributaryRecord>(record: R): R {
    const { data, schema } = readPart(record, this.target);
    if (data === null || data === undefined) return record;
    const object = requireFieldObject(data, this.doing, NAME, this.target);
    if (schema !== undefined) assertStructSchema(schema, this.doing, NAME, this.target);
    const headers: RecordHeader[] = [...record.headers];
    for (const [field, header] of this.pairs) {
      if (!Object.prototype.hasOwnProperty.call(object, field)) {
        if (this.failOnMissing) {
          throw new TributaryError('TRANSFORM_FAILED', `${this.doing}: field "${field}" is missing (onMissing: fail)`, { details: { transform: NAME, target: this.target, field } });
        }
        continue;
      }
      headers.push({ key: header, value: toHeaderValue(object[field]) });
    }
    if (!this.move) return { ...record, headers };
    const moved = new Set(this.pairs.map(([f]) => f));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(object)) if (!moved.has(k)) Object.defineProperty(out, k, { value: object[k], enumerable: true, writable: true, configurable: true });
    const outSchema = schema === undefined ? undefined : this.schemas.get(schema, (s): Schema => structWithFields(s, (s.fields ?? []).filter((f) => !moved.has(f.field))));
    return { ...withPart(record, this.target, out, outSchema), headers };
  }
}
