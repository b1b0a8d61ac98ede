import { TributaryError } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Schema, SchemaField } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { assertStructSchema, isFieldObject, readPart, requireFieldObject, setField, targetConfigSchema, withPart, type Target } from './record-part.ts';
import { SchemaCache, structWithFields } from './struct-schema.ts';

/**
 * Kafka Connect's Flatten: nested objects become top-level fields whose names join the path with
 * `delimiter` (`{ a: { b: 1 } }` becomes `{ "a.b": 1 }`). Arrays, bytes, dates and maps stay values.
 *
 * - Without a schema, a nested null stays a null field of its own name (`{ a: null }`), as Connect does.
 * - With a schema, a nested struct's fields become optional when the struct is optional, and a null
 *   struct gives null for each of its fields.
 * - Two paths flattening to one name (`{ "a.b": 1, a: { b: 2 } }`) is a TRANSFORM_FAILED rather than a
 *   silent overwrite.
 * - A null part (tombstone, null key) passes through.
 */
export type FlattenConfig = {
  target?: Target;
  delimiter?: string;
};

const NAME = 'flatten';

export const flatten: TransformPlugin<FlattenConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Flatten nested objects into top-level fields joined by a delimiter (Kafka Connect's Flatten).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        target: targetConfigSchema,
        delimiter: { type: 'string', default: '.', description: 'Joins the names along a path, e.g. `_` turns `address.city` into `address_city`.' },
      },
    },
  },
  create(ctx) {
    return new Flatten(ctx.config);
  },
};

class Flatten implements Transform {
  private readonly target: Target;
  private readonly delimiter: string;
  private readonly doing: string;
  private readonly schemas = new SchemaCache();

  constructor(config: FlattenConfig) {
    this.target = config.target ?? 'value';
    this.delimiter = config.delimiter ?? '.';
    this.doing = `flattening record ${this.target}`;
  }

  apply<R extends TributaryRecord>(record: R): R {
    const { data, schema } = readPart(record, this.target);
    if (data === null || data === undefined) return record;
    const object = requireFieldObject(data, this.doing, NAME, this.target);
    const out: Record<string, unknown> = {};
    if (schema === undefined) {
      this.flattenValue(object, '', out);
      return withPart(record, this.target, out, undefined);
    }
    assertStructSchema(schema, this.doing, NAME, this.target);
    this.flattenWithSchema(object, schema, '', out);
    return withPart(record, this.target, out, this.schemas.get(schema, (s) => structWithFields(s, this.flattenSchema(s, '', false, new Set()))));
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : `${prefix}${this.delimiter}${field}`;
  }

  private put(out: Record<string, unknown>, name: string, value: unknown): void {
    if (Object.prototype.hasOwnProperty.call(out, name)) this.collision(name);
    setField(out, name, value);
  }

  /** `ancestors` holds the objects on the current path: data built in JS can refer back to itself. */
  private flattenValue(object: Record<string, unknown>, prefix: string, out: Record<string, unknown>, ancestors = new Set<object>()): void {
    ancestors.add(object);
    for (const field of Object.keys(object)) {
      const value = object[field];
      const name = this.name(prefix, field);
      if (!isFieldObject(value)) this.put(out, name, value);
      else if (ancestors.has(value)) {
        throw new TributaryError('TRANSFORM_FAILED', `${this.doing}: field "${name}" refers back to an object that contains it`, { details: { transform: NAME, target: this.target, field: name } });
      } else this.flattenValue(value, name, out, ancestors);
    }
    ancestors.delete(object);
  }

  private flattenWithSchema(object: Record<string, unknown> | null, schema: Schema, prefix: string, out: Record<string, unknown>): void {
    for (const f of schema.fields ?? []) {
      const name = this.name(prefix, f.field);
      const value = object === null ? null : (object[f.field] ?? null);
      if (f.schema.type === 'struct') {
        this.flattenWithSchema(isFieldObject(value) ? value : null, f.schema, name, out);
      } else {
        this.put(out, name, value);
      }
    }
  }

  private flattenSchema(schema: Schema, prefix: string, optionalParent: boolean, names: Set<string>): SchemaField[] {
    const fields: SchemaField[] = [];
    for (const f of schema.fields ?? []) {
      const name = this.name(prefix, f.field);
      const optional = optionalParent || f.schema.optional === true;
      if (f.schema.type === 'struct') {
        fields.push(...this.flattenSchema(f.schema, name, optional, names));
        continue;
      }
      if (names.has(name)) this.collision(name, ' in the schema');
      names.add(name);
      fields.push({ field: name, schema: optional && f.schema.optional !== true ? { ...f.schema, optional: true } : f.schema });
    }
    return fields;
  }

  private collision(name: string, where = ''): never {
    throw new TributaryError('TRANSFORM_FAILED', `${this.doing}: two fields flatten to the same name "${name}"${where}`, { details: { transform: NAME, target: this.target, field: name } });
  }
}
