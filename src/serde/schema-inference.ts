import type { Schema, SchemaField } from '../sdk/schema.ts';
import { TIMESTAMP } from './logical-types.ts';

/**
 * A Connect schema for schemaless data, so a record without one can still be written in the
 * `{"schema", "payload"}` envelope:
 *
 * - object → struct with its properties in order; string → string; boolean → boolean;
 *   integer number or bigint → int64; other numbers → float64; Buffer → bytes; Date → Timestamp;
 *   array → array; Map → map;
 * - a null property makes its field optional; a field that is null everywhere becomes an optional
 *   string (JSON cannot say more);
 * - array items (and map keys/values) are merged across all elements rather than taken from the first:
 *   int64 and float64 merge to float64, structs merge to the union of their fields (fields absent from
 *   some elements become optional), nulls make the items optional. Elements of unrelated types
 *   (a string and a number) are an error, because no Connect schema can describe them.
 *
 * Inferred schemas are unnamed; fields other than the ones above are required (optional: false).
 */
export function inferSchema(value: unknown): Schema {
  return finish(infer(value, ''));
}

/**
 * Inference works on drafts: schemas that may be marked `unknown`, meaning only nulls were seen so
 * far. Merging with a real schema makes that schema optional; {@link finish} turns what is left into
 * optional strings and strips the mark.
 */
type Draft = Schema & { unknown?: true };

const unknownDraft = (): Draft => ({ type: 'string', optional: true, unknown: true });

function infer(value: unknown, path: string): Draft {
  switch (typeof value) {
    case 'string':
      return { type: 'string', optional: false };
    case 'boolean':
      return { type: 'boolean', optional: false };
    case 'bigint':
      return { type: 'int64', optional: false };
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`${where(path)}: ${value} has no JSON form`);
      return { type: Number.isInteger(value) ? 'int64' : 'float64', optional: false };
    case 'undefined':
      return unknownDraft();
    case 'object':
      break;
    default:
      throw new Error(`${where(path)}: a ${typeof value} has no schema`);
  }
  if (value === null) return unknownDraft();
  if (value instanceof Uint8Array) return { type: 'bytes', optional: false };
  if (value instanceof Date) return { type: 'int64', optional: false, name: TIMESTAMP, version: 1 };
  // `undefined` below means no element seen yet, as opposed to a null element (an unknown draft).
  if (Array.isArray(value)) {
    let items: Draft | undefined;
    for (let i = 0; i < value.length; i++) items = mergeNext(items, infer(value[i], `${path}[${i}]`), `${path}[${i}]`);
    return { type: 'array', optional: false, items: items ?? unknownDraft() };
  }
  if (value instanceof Map) {
    let keys: Draft | undefined;
    let values: Draft | undefined;
    for (const [k, v] of value) {
      const key = infer(k, `${path} (key)`);
      if (key.unknown) throw new Error(`${where(path)}: a map key cannot be null`);
      keys = mergeNext(keys, key, `${path} (key)`);
      values = mergeNext(values, infer(v, join(path, String(k))), join(path, String(k)));
    }
    return { type: 'map', optional: false, keys: keys ?? { type: 'string', optional: false }, values: values ?? unknownDraft() };
  }
  const fields: SchemaField[] = [];
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) fields.push({ field: key, schema: infer(v, join(path, key)) });
  }
  return { type: 'struct', optional: false, fields };
}

function mergeNext(sofar: Draft | undefined, next: Draft, path: string): Draft {
  return sofar === undefined ? next : merge(sofar, next, path);
}

/** The draft that describes values of both `a` and `b`; an unknown draft (null) makes the other optional. */
function merge(a: Draft, b: Draft, path: string): Draft {
  if (a.unknown) return b.unknown ? a : { ...b, optional: true };
  if (b.unknown) return a.optional ? a : { ...a, optional: true };
  const optional = a.optional === true || b.optional === true;
  if (a.type === b.type && a.name === b.name) {
    switch (a.type) {
      case 'struct':
        return { ...a, optional, fields: mergeFields(a.fields ?? [], b.fields ?? [], path) };
      case 'array':
        return { ...a, optional, items: merge(draft(a.items), draft(b.items), `${path}[]`) };
      case 'map':
        return { ...a, optional, keys: merge(draft(a.keys), draft(b.keys), `${path} (key)`), values: merge(draft(a.values), draft(b.values), path) };
      default:
        return { ...a, optional };
    }
  }
  const types = new Set([a.type, b.type]);
  if (a.name === undefined && b.name === undefined && types.size === 2 && types.has('int64') && types.has('float64')) return { type: 'float64', optional };
  throw new Error(`${where(path)}: elements mix ${label(a)} and ${label(b)}, which no single schema describes`);
}

/** Union of two structs' fields, in first-seen order; a field some elements lack is optional. */
function mergeFields(a: SchemaField[], b: SchemaField[], path: string): SchemaField[] {
  const inB = new Map(b.map((f) => [f.field, f.schema]));
  const inA = new Set(a.map((f) => f.field));
  const out = a.map((f) => ({ field: f.field, schema: merge(f.schema, draft(inB.get(f.field)), join(path, f.field)) }));
  for (const f of b) if (!inA.has(f.field)) out.push({ field: f.field, schema: merge(f.schema, unknownDraft(), join(path, f.field)) });
  return out;
}

function draft(schema: Schema | undefined): Draft {
  return schema ?? unknownDraft();
}

/** Strips draft marks; a part that saw only nulls becomes an optional string. */
function finish(d: Draft): Schema {
  const { unknown, ...schema } = d;
  if (unknown) return { type: 'string', optional: true };
  switch (schema.type) {
    case 'struct':
      return { ...schema, fields: (schema.fields ?? []).map((f) => ({ field: f.field, schema: finish(f.schema) })) };
    case 'array':
      return { ...schema, items: finish(draft(schema.items)) };
    case 'map':
      return { ...schema, keys: finish(draft(schema.keys)), values: finish(draft(schema.values)) };
    default:
      return schema;
  }
}

function label(schema: Schema): string {
  return schema.name === undefined ? schema.type : schema.name.slice(schema.name.lastIndexOf('.') + 1);
}

function where(path: string): string {
  return path === '' ? 'value' : path;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
