import { TributaryError } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Schema, SchemaField } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { assertStructSchema, onMissingConfigSchema, readPart, requireFieldObject, setField, targetConfigSchema, withPart, type OnMissing, type Target } from './record-part.ts';
import { SchemaCache, structWithFields } from './struct-schema.ts';

/**
 * Kafka Connect's ReplaceField: keeps, drops and renames top-level fields.
 *
 * A field survives when it is not in `exclude` and either `include` is empty or it is in `include`
 * (exclude wins, as in Connect); survivors named in `renames` get their new name. Field order is
 * kept. A rename onto a name another surviving field already has is a TRANSFORM_FAILED rather than
 * a silent overwrite. A null part (tombstone, null key) passes through unchanged.
 *
 * Schema: a struct schema gets the same treatment (fields dropped and renamed, order kept).
 */
export type ReplaceFieldConfig = {
  target?: Target;
  include?: string[];
  exclude?: string[];
  renames?: Record<string, string>;
  onMissing?: OnMissing;
};

const NAME = 'replace-field';

const fieldList = (description: string) => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  uniqueItems: true,
  default: [],
  description,
});

export const replaceField: TransformPlugin<ReplaceFieldConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Keep, drop and rename top-level fields (Kafka Connect's ReplaceField).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        target: targetConfigSchema,
        include: fieldList('Fields to keep; when not empty, every other field is dropped.'),
        exclude: fieldList('Fields to drop. Takes precedence over `include`.'),
        renames: {
          type: 'object',
          additionalProperties: { type: 'string', minLength: 1 },
          default: {},
          description: 'Map of old field name to new field name, e.g. `{ email: contact_email }`.',
        },
        onMissing: onMissingConfigSchema('a field named in `include` or `renames`'),
      },
    },
  },
  create(ctx) {
    return new ReplaceField(ctx.config);
  },
};

class ReplaceField implements Transform {
  private readonly target: Target;
  private readonly include: ReadonlySet<string>;
  private readonly exclude: ReadonlySet<string>;
  private readonly renames: ReadonlyMap<string, string>;
  /** New name to old name. */
  private readonly renamedTo: ReadonlyMap<string, string>;
  /** Fields that must be present when onMissing is `fail`; empty otherwise. */
  private readonly required: readonly string[];
  private readonly doing: string;
  private readonly schemas = new SchemaCache();

  constructor(config: ReplaceFieldConfig) {
    this.target = config.target ?? 'value';
    this.include = new Set(config.include ?? []);
    this.exclude = new Set(config.exclude ?? []);
    this.renames = new Map(Object.entries(config.renames ?? {}));
    this.renamedTo = new Map([...this.renames].map(([from, to]) => [to, from]));
    this.doing = `replacing fields of record ${this.target}`;
    validate(this.include, this.exclude, this.renames);
    this.required = config.onMissing === 'fail' ? [...new Set([...this.include, ...this.renames.keys()])] : [];
  }

  apply<R extends TributaryRecord>(record: R): R {
    const { data, schema } = readPart(record, this.target);
    if (data === null || data === undefined) return record;
    const object = requireFieldObject(data, this.doing, NAME, this.target);
    for (const field of this.required) {
      if (!Object.prototype.hasOwnProperty.call(object, field)) this.missing(field);
    }
    const out: Record<string, unknown> = {};
    for (const field in object) {
      if (!Object.prototype.hasOwnProperty.call(object, field) || !this.keeps(field)) continue;
      const name = this.renames.get(field) ?? field;
      if (Object.prototype.hasOwnProperty.call(out, name)) this.collision(name);
      setField(out, name, object[field]);
    }
    if (schema === undefined) return withPart(record, this.target, out, undefined);
    assertStructSchema(schema, this.doing, NAME, this.target);
    return withPart(record, this.target, out, this.schemas.get(schema, (s) => this.deriveSchema(s)));
  }

  private keeps(field: string): boolean {
    return !this.exclude.has(field) && (this.include.size === 0 || this.include.has(field));
  }

  private deriveSchema(source: Schema): Schema {
    const fields: SchemaField[] = [];
    const names = new Set<string>();
    const present = new Set((source.fields ?? []).map((f) => f.field));
    for (const field of this.required) {
      if (!present.has(field)) this.missing(field, 'schema');
    }
    for (const f of source.fields ?? []) {
      if (!this.keeps(f.field)) continue;
      const name = this.renames.get(f.field) ?? f.field;
      if (names.has(name)) this.collision(name, 'schema');
      names.add(name);
      fields.push(name === f.field ? f : { field: name, schema: f.schema });
    }
    return structWithFields(source, fields);
  }

  private missing(field: string, where: 'value' | 'schema' = 'value'): never {
    const what = where === 'schema' ? `record ${this.target} schema has no field "${field}"` : `field "${field}" is missing`;
    throw new TributaryError('TRANSFORM_FAILED', `${this.doing}: ${what} (onMissing: fail)`, { details: { transform: NAME, target: this.target, field } });
  }

  /**
   * Renames never share a target (checked at config time), so a collision is always one renamed
   * field landing on a field that kept its name; the message names the renamed one.
   */
  private collision(name: string, where: 'value' | 'schema' = 'value'): never {
    const renamed = this.renamedTo.get(name) ?? name;
    const of = where === 'schema' ? ` in the ${this.target} schema` : '';
    throw new TributaryError('TRANSFORM_FAILED', `${this.doing}: renaming "${renamed}" to "${name}" collides with an existing field "${name}"${of}`, {
      details: { transform: NAME, target: this.target, field: renamed },
    });
  }
}

/** Config mistakes JSON Schema cannot see: renames that can never apply or that merge two fields. */
function validate(include: ReadonlySet<string>, exclude: ReadonlySet<string>, renames: ReadonlyMap<string, string>): void {
  const targets = new Map<string, string>();
  for (const [from, to] of renames) {
    if (exclude.has(from)) throw configError(`renames.${from}: "${from}" is also excluded, so it is never renamed`);
    if (include.size > 0 && !include.has(from)) throw configError(`renames.${from}: "${from}" is not in include, so it is never renamed`);
    const other = targets.get(to);
    if (other !== undefined) throw configError(`renames: "${other}" and "${from}" are both renamed to "${to}"`);
    targets.set(to, from);
  }
}

function configError(message: string): TributaryError {
  return new TributaryError('CONFIG_INVALID', `configuring ${NAME}: ${message}`);
}
