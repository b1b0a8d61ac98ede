import type { Schema, SchemaField, SchemaType } from '../sdk/schema.ts';
import type { ConnectDataReader, ConnectDataWriter } from './connect-data.ts';

/**
 * Tributary {@link Schema} ⇄ the `schema` half of Kafka Connect's JsonConverter envelope, as
 * `JsonConverter.asJsonSchema` writes it and `asConnectSchema` reads it:
 *
 *   {"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"x"}
 *
 * Key order follows Connect (type; fields/items/keys+values; optional, name, version, doc,
 * parameters, default; a struct field's name last), so our output matches Connect's byte for byte
 * for the same schema. Connect names float32 "float" and float64 "double"; `optional` is always
 * written. Defaults are stored in a Schema in JS form and in JSON in payload form, so converting them
 * needs the data writer/reader.
 */
export type JsonSchemaNode = Record<string, unknown>;

const TO_JSON_TYPE: Record<SchemaType, string> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
  array: 'array',
  map: 'map',
  struct: 'struct',
};

const FROM_JSON_TYPE = new Map<string, SchemaType>(Object.entries(TO_JSON_TYPE).map(([ours, theirs]) => [theirs, ours as SchemaType]));

export function toConnectJsonSchema(schema: Schema, writer: ConnectDataWriter, path = ''): JsonSchemaNode {
  const out: JsonSchemaNode = { type: TO_JSON_TYPE[schema.type] };
  if (out.type === undefined) throw new Error(`${path || 'schema'}: unknown schema type "${String(schema.type)}"`);
  switch (schema.type) {
    case 'struct':
      out.fields = (schema.fields ?? []).map((f) => ({ ...toConnectJsonSchema(f.schema, writer, join(path, f.field)), field: f.field }));
      break;
    case 'array':
      out.items = toConnectJsonSchema(required(schema.items, 'items', path), writer, `${path}[]`);
      break;
    case 'map':
      out.keys = toConnectJsonSchema(required(schema.keys, 'keys', path), writer, `${path}{keys}`);
      out.values = toConnectJsonSchema(required(schema.values, 'values', path), writer, `${path}{values}`);
      break;
  }
  out.optional = schema.optional === true;
  if (schema.name !== undefined) out.name = schema.name;
  if (schema.version !== undefined) out.version = schema.version;
  if (schema.doc !== undefined) out.doc = schema.doc;
  if (schema.parameters !== undefined) out.parameters = { ...schema.parameters };
  if (schema.default !== undefined && schema.default !== null) out.default = writer.write(schema.default, schema, path ? `${path} (default)` : '(default)');
  return out;
}

/** Reads an envelope's schema; throws naming the path inside the schema for anything Connect would reject. */
export function fromConnectJsonSchema(node: unknown, reader: ConnectDataReader, path = 'schema'): Schema {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new Error(`${path}: must be an object`);
  const json = node as JsonSchemaNode;
  const type = typeof json.type === 'string' ? FROM_JSON_TYPE.get(json.type) : undefined;
  if (type === undefined) throw new Error(`${path}: ${typeof json.type === 'string' ? `unknown type "${json.type}"` : 'has no "type"'}`);
  const schema: Schema = { type };
  switch (type) {
    case 'struct': {
      if (!Array.isArray(json.fields)) throw new Error(`${path}: a struct's "fields" must be an array`);
      schema.fields = json.fields.map((f: unknown, i): SchemaField => {
        const name = typeof f === 'object' && f !== null ? (f as JsonSchemaNode).field : undefined;
        if (typeof name !== 'string') throw new Error(`${path}.fields[${i}]: has no "field" name`);
        return { field: name, schema: fromConnectJsonSchema(f, reader, `${path}.fields[${i}]`) };
      });
      break;
    }
    case 'array':
      if (json.items === undefined || json.items === null) throw new Error(`${path}: an array needs "items"`);
      schema.items = fromConnectJsonSchema(json.items, reader, `${path}.items`);
      break;
    case 'map':
      if (json.keys === undefined || json.values === undefined) throw new Error(`${path}: a map needs "keys" and "values"`);
      schema.keys = fromConnectJsonSchema(json.keys, reader, `${path}.keys`);
      schema.values = fromConnectJsonSchema(json.values, reader, `${path}.values`);
      break;
  }
  schema.optional = json.optional === true;
  if (typeof json.name === 'string') schema.name = json.name;
  if (typeof json.version === 'number' && Number.isInteger(json.version)) schema.version = json.version;
  if (typeof json.doc === 'string') schema.doc = json.doc;
  if (typeof json.parameters === 'object' && json.parameters !== null) {
    const parameters: Record<string, string> = {};
    for (const [k, v] of Object.entries(json.parameters)) {
      if (typeof v !== 'string') throw new Error(`${path}.parameters.${k}: parameter values must be strings`);
      parameters[k] = v;
    }
    schema.parameters = parameters;
  }
  if (json.default !== undefined && json.default !== null) schema.default = reader.read(json.default, schema, `${path}.default`);
  return schema;
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

function required(sub: Schema | undefined, what: string, path: string): Schema {
  if (sub === undefined) throw new Error(`${path || 'schema'}: has no "${what}"`);
  return sub;
}
