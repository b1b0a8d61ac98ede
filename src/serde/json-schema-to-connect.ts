import type { Schema, SchemaField, SchemaType } from '../sdk/schema.ts';
import { CONNECT_INDEX, CONNECT_PARAMETERS, CONNECT_TYPE, CONNECT_VERSION } from './json-schema-from-connect.ts';

/** A JSON Schema the Connect model cannot describe (allOf, $ref, tuples, mixed types...). */
export class UnsupportedJsonSchema extends Error {}

/**
 * JSON Schema → Connect-shaped {@link Schema}: exact for schemas json-schema-from-connect.ts wrote
 * (their `connect.*` annotations and titles), and a plain reading of simple hand-written ones:
 * `integer` → int64, `number` → float64, an object with `properties` → struct (in `connect.index`
 * order, else declaration order; properties not `required` are optional), an object with only
 * `additionalProperties` → map of strings, `oneOf`/`anyOf`/`type` lists with `null` → optional.
 * Anything else throws {@link UnsupportedJsonSchema}; the serde then passes data on schemaless.
 */
export function jsonSchemaToConnect(schema: unknown): Schema {
  return convert(node(schema, ''), '');
}

type Node = Record<string, unknown>;

const CONNECT_TYPES = new Set<SchemaType>(['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes', 'array', 'map', 'struct']);

function node(value: unknown, path: string): Node {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UnsupportedJsonSchema(`${path || 'schema'}: expected an object schema`);
  return value as Node;
}

function convert(n: Node, path: string): Schema {
  const nullable = splitNull(n, path);
  if (nullable !== undefined) return { ...convert(nullable, path), optional: true };
  if (n.allOf !== undefined || n.$ref !== undefined || n.not !== undefined || n.if !== undefined) {
    throw new UnsupportedJsonSchema(`${path || 'schema'}: allOf, $ref, not and if have no Connect equivalent`);
  }
  const kind = n.type;
  const connectType = typeof n[CONNECT_TYPE] === 'string' && CONNECT_TYPES.has(n[CONNECT_TYPE] as SchemaType) ? (n[CONNECT_TYPE] as SchemaType) : undefined;
  let schema: Schema;
  switch (kind) {
    case 'integer':
      schema = { type: connectType ?? 'int64', optional: false };
      break;
    case 'number':
      schema = { type: connectType ?? 'float64', optional: false };
      break;
    case 'boolean':
      schema = { type: 'boolean', optional: false };
      break;
    case 'string':
      schema = { type: connectType === 'bytes' ? 'bytes' : 'string', optional: false };
      break;
    case 'array':
      schema = connectType === 'map' ? pairMap(n, path) : { type: 'array', optional: false, items: convert(node(n.items, `${path}[]`), `${path}[]`) };
      break;
    case 'object':
    case undefined:
      if (kind === undefined && n.properties === undefined) throw new UnsupportedJsonSchema(`${path || 'schema'}: no "type"`);
      schema = objectSchema(n, path);
      break;
    default:
      throw new UnsupportedJsonSchema(`${path || 'schema'}: type ${JSON.stringify(kind)} has no Connect equivalent`);
  }
  if (typeof n.title === 'string') schema.name = n.title;
  if (typeof n[CONNECT_VERSION] === 'number') schema.version = n[CONNECT_VERSION];
  const parameters = n[CONNECT_PARAMETERS];
  if (typeof parameters === 'object' && parameters !== null) {
    schema.parameters = Object.fromEntries(Object.entries(parameters).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  if (typeof n.description === 'string') schema.doc = n.description;
  return schema;
}

/** The non-null part of a nullable schema, or undefined when it is not nullable. */
function splitNull(n: Node, path: string): Node | undefined {
  if (Array.isArray(n.type) && n.type.includes('null')) {
    const rest = n.type.filter((t) => t !== 'null');
    if (rest.length !== 1) throw new UnsupportedJsonSchema(`${path || 'schema'}: a type list of several non-null types has no Connect equivalent`);
    return { ...n, type: rest[0] };
  }
  const branches = Array.isArray(n.oneOf) ? n.oneOf : Array.isArray(n.anyOf) ? n.anyOf : undefined;
  if (branches === undefined) return undefined;
  const isNull = (b: unknown): boolean => typeof b === 'object' && b !== null && (b as Node).type === 'null';
  const rest = branches.filter((b) => !isNull(b));
  if (rest.length !== 1 || rest.length === branches.length) throw new UnsupportedJsonSchema(`${path || 'schema'}: only a union of null and one schema has a Connect equivalent`);
  const { oneOf: _oneOf, anyOf: _anyOf, ...outer } = n;
  return { ...node(rest[0], path), ...withoutKeywords(outer) };
}

/** Annotations of the union itself (title, description) carry over to its non-null branch. */
function withoutKeywords(n: Node): Node {
  const { [CONNECT_INDEX]: _index, default: _default, ...rest } = n;
  return rest;
}

function objectSchema(n: Node, path: string): Schema {
  if (n.properties === undefined && typeof n.additionalProperties === 'object' && n.additionalProperties !== null) {
    return { type: 'map', optional: false, keys: { type: 'string', optional: false }, values: convert(node(n.additionalProperties, `${path}{}`), `${path}{}`) };
  }
  const properties = n.properties === undefined ? {} : node(n.properties, path);
  const required = new Set(Array.isArray(n.required) ? n.required.filter((r): r is string => typeof r === 'string') : []);
  const entries = Object.entries(properties).map(([name, value], i) => {
    const p = node(value, name);
    return { name, p, index: typeof p[CONNECT_INDEX] === 'number' ? p[CONNECT_INDEX] : i };
  });
  entries.sort((a, b) => a.index - b.index);
  const fields: SchemaField[] = entries.map(({ name, p }) => {
    const fieldPath = path === '' ? name : `${path}.${name}`;
    let schema = convert(p, fieldPath);
    if (!required.has(name)) schema = { ...schema, optional: true };
    return { field: name, schema };
  });
  return { type: 'struct', optional: false, fields };
}

function pairMap(n: Node, path: string): Schema {
  const pair = node(n.items, `${path}[]`);
  const items = pair.items;
  if (!Array.isArray(items) || items.length !== 2) throw new UnsupportedJsonSchema(`${path || 'schema'}: a map of non-string keys needs [key, value] item schemas`);
  return { type: 'map', optional: false, keys: convert(node(items[0], `${path}{key}`), `${path}{key}`), values: convert(node(items[1], `${path}{}`), `${path}{}`) };
}
