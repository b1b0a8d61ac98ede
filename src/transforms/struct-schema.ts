import type { Schema, SchemaField } from '../sdk/schema.ts';

/**
 * A struct schema with new fields and the identity of `source` (name, version, doc, parameters,
 * optional), like Connect's `SchemaUtil.copySchemaBasics`. The struct's `default` is dropped: it
 * describes the old field list. Unlike Connect, `optional` is kept, so an optional struct stays one.
 */
export function structWithFields(source: Schema, fields: SchemaField[]): Schema {
  const out: Schema = { type: 'struct' };
  if (source.optional !== undefined) out.optional = source.optional;
  if (source.name !== undefined) out.name = source.name;
  if (source.version !== undefined) out.version = source.version;
  if (source.doc !== undefined) out.doc = source.doc;
  if (source.parameters !== undefined) out.parameters = source.parameters;
  out.fields = fields;
  return out;
}

/**
 * Remembers the schema a transform derived from each input schema. Records of one stream share one
 * schema object, so deriving once per schema keeps schema work off the per-record path. Keys are
 * held weakly: a schema no record references any more is collected along with its entry.
 */
export class SchemaCache<T = Schema> {
  private readonly derived = new WeakMap<Schema, T>();

  get(source: Schema, derive: (source: Schema) => T): T {
    let out = this.derived.get(source);
    if (out === undefined) {
      out = derive(source);
      this.derived.set(source, out);
    }
    return out;
  }
}
