import type { Schema } from '../sdk/schema.ts';
import { ConnectDataWriter } from './connect-data.ts';

/** A JSON Schema document (draft-07) as a JS object. */
export type JsonSchema = Record<string, unknown>;

/** Confluent JsonSchemaData's annotations: the exact Connect type, and a property's position. */
export const CONNECT_TYPE = 'connect.type';
export const CONNECT_INDEX = 'connect.index';
export const CONNECT_VERSION = 'connect.version';
export const CONNECT_PARAMETERS = 'connect.parameters';

/**
 * Connect-shaped {@link Schema} → JSON Schema (draft-07) describing the JSON the json serde's
 * writer produces for it, in the style of Confluent's JsonSchemaData, so its JsonSchemaConverter
 * restores the Connect schema:
 *
 * - struct → object with `properties` (each with `connect.index`), `required` for the
 *   non-optional fields, `title` = the struct's name;
 * - optional → `oneOf: [{type: null}, T]`;
 * - int8..int64 → integer, float32/64 → number, bytes → base64 string, all with `connect.type`;
 * - map with string keys → object with `additionalProperties`; other maps → array of [key, value];
 * - named schemas (Decimal, Date, Time, Timestamp, Debezium's) keep their name as `title` with
 *   `connect.version` / `connect.parameters`; Decimal is a JSON number (decimal.format=NUMERIC).
 *
 * `doc` becomes `description`, a default `default`. Throws plain Errors naming the path.
 */
export function connectToJsonSchema(schema: Schema): JsonSchema {
  return new ConnectToJsonSchema().bare(schema, '');
}

class ConnectToJsonSchema {
  private readonly defaults = new ConnectDataWriter({ decimalFormat: 'numeric', replaceNullWithDefault: false });

  private optional(schema: Schema, path: string): JsonSchema {
    const bare = this.bare(schema, path);
    if (schema.optional !== true) return bare;
    const out: JsonSchema = { oneOf: [{ type: 'null' }, bare] };
    if (schema.default !== undefined && schema.default !== null) out.default = this.default(schema, path);
    return out;
  }

  bare(schema: Schema, path: string): JsonSchema {
    let out: JsonSchema;
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'int64':
        out = { type: 'integer', [CONNECT_TYPE]: schema.type };
        break;
      case 'float32':
      case 'float64':
        out = { type: 'number', [CONNECT_TYPE]: schema.type };
        break;
      case 'boolean':
        out = { type: 'boolean' };
        break;
      case 'string':
        out = { type: 'string' };
        break;
      case 'bytes':
        // Decimal's JSON form is a number (written with decimalFormat: numeric).
        out = schema.name === 'org.apache.kafka.connect.data.Decimal' ? { type: 'number', [CONNECT_TYPE]: 'bytes' } : { type: 'string', [CONNECT_TYPE]: 'bytes' };
        break;
      case 'array':
        out = { type: 'array', items: this.optional(required(schema.items, 'items', path), `${path}[]`) };
        break;
      case 'map': {
        const keys = required(schema.keys, 'keys', path);
        const values = this.optional(required(schema.values, 'values', path), `${path}{}`);
        out =
          keys.type === 'string'
            ? { type: 'object', additionalProperties: values, [CONNECT_TYPE]: 'map' }
            : { type: 'array', items: { type: 'array', items: [this.optional(keys, `${path}{key}`), values], minItems: 2, maxItems: 2 }, [CONNECT_TYPE]: 'map' };
        break;
      }
      case 'struct': {
        const properties: JsonSchema = {};
        const requiredFields: string[] = [];
        (schema.fields ?? []).forEach((f, index) => {
          const fieldPath = path === '' ? f.field : `${path}.${f.field}`;
          properties[f.field] = { ...this.optional(f.schema, fieldPath), [CONNECT_INDEX]: index };
          if (f.schema.optional !== true) requiredFields.push(f.field);
        });
        out = { type: 'object', properties };
        if (requiredFields.length > 0) out.required = requiredFields;
        break;
      }
      default:
        throw new Error(`${path || 'value'}: unknown schema type "${String(schema.type)}"`);
    }
    if (schema.name !== undefined) out.title = schema.name;
    if (schema.version !== undefined) out[CONNECT_VERSION] = schema.version;
    if (schema.parameters !== undefined) out[CONNECT_PARAMETERS] = { ...schema.parameters };
    if (schema.doc !== undefined) out.description = schema.doc;
    if (schema.optional !== true && schema.default !== undefined && schema.default !== null) out.default = this.default(schema, path);
    return out;
  }

  private default(schema: Schema, path: string): unknown {
    return this.defaults.write(schema.default, { ...schema, optional: false }, `${path || 'value'} (default)`);
  }
}

function required(sub: Schema | undefined, what: string, path: string): Schema {
  if (sub === undefined) throw new Error(`${path || 'value'}: schema has no "${what}"`);
  return sub;
}
