import type { Schema } from '../sdk/schema.ts';
import {
  AVRO_ENUM,
  CONNECT_NAME,
  CONNECT_PARAMETERS,
  CONNECT_TYPE,
  CONNECT_VERSION,
  DECIMAL_PRECISION,
  DEFAULT_DECIMAL_PRECISION,
  LOGICAL_FOR_CONNECT_NAME,
  avroFullName,
  isAvroName,
  type AvroPrimitive,
} from './avro-names.ts';
import { ConnectDataWriter } from './connect-data.ts';
import { DECIMAL, DECIMAL_SCALE } from './logical-types.ts';

/** An Avro schema as JSON: a type name, a union (array) or a definition (object). */
export type AvroSchema = string | AvroSchema[] | { [attribute: string]: unknown };

/**
 * Connect-shaped {@link Schema} → Avro schema, following Confluent's AvroData (so AvroConverter and
 * Debezium consumers read our topics as if Connect had written them):
 *
 * - struct → record. A named struct keeps its name (Debezium's `<server>.<db>.<table>.Value`,
 *   `.Key`, `.Envelope`), made a valid Avro full name; an unnamed top-level struct is named by the
 *   caller (`<topic>.Value` / `<topic>.Key`) and unnamed nested ones `<parent>.<field>`. A name met
 *   again (an Envelope's `before` and `after`) is a reference to the first definition.
 * - optional → `["null", T]` with default null, or `[T, "null"]` with T's default when it has one
 *   (Avro takes a union's default from its first branch). A top-level schema is never a union: null
 *   data is a tombstone and never reaches Avro.
 * - int8/int16 → int with `connect.type`; int32 → int; int64 → long; float32/64 → float/double.
 * - Decimal → bytes with logicalType decimal, precision (`connect.decimal.precision`, else 64) and scale.
 * - Connect and Debezium temporal names → int/long with logicalType date, time-millis,
 *   timestamp-millis, time-micros or timestamp-micros.
 * - Any named, versioned or parameterised schema also carries `connect.name`, `connect.version` and
 *   `connect.parameters`, which restore it exactly on the way back (avro-to-connect.ts).
 * - A string whose parameters describe an Avro enum (AvroData's `io.confluent.connect.avro.Enum`)
 *   → enum again.
 *
 * Refused, with the path of the field: field names Avro cannot hold, maps with non-string keys, and
 * two different structs under one name. Throws plain Errors; the serde adds its error code.
 */
export function connectToAvro(schema: Schema, rootName: string): AvroSchema {
  return new ConnectToAvro().bare(schema, '', avroFullName(rootName));
}

class ConnectToAvro {
  /** Record full name → canonical text of the Connect struct defining it. */
  private readonly defined = new Map<string, string>();
  private readonly defaults = new ConnectDataWriter({ decimalFormat: 'base64', replaceNullWithDefault: false });

  /** The schema as a (possibly) optional field type. */
  private optional(schema: Schema, path: string, hint: string): AvroSchema {
    const type = this.bare(schema, path, hint);
    if (schema.optional !== true) return type;
    return hasDefault(schema) ? [type, 'null'] : ['null', type];
  }

  /** The schema without its optionality. */
  bare(schema: Schema, path: string, hint: string): AvroSchema {
    if (schema.name === DECIMAL) return this.decimal(schema, path);
    const logical = schema.name === undefined ? undefined : LOGICAL_FOR_CONNECT_NAME[schema.name];
    switch (schema.type) {
      case 'struct':
        return this.record(schema, path, hint);
      case 'array':
        return { type: 'array', items: this.optional(required(schema.items, 'items', path), `${path}[]`, `${hint}_item`) };
      case 'map': {
        const keys = required(schema.keys, 'keys', path);
        if (keys.type !== 'string') throw new Error(`${at(path)}: Avro maps have string keys; a map with ${keys.type} keys is not supported`);
        return { type: 'map', values: this.optional(required(schema.values, 'values', path), `${path}{}`, `${hint}_value`) };
      }
      case 'string':
        if (schema.parameters?.[AVRO_ENUM] !== undefined) return this.enumeration(schema);
        return primitive('string', schema);
      case 'int8':
      case 'int16':
        return { type: 'int', [CONNECT_TYPE]: schema.type, ...connectProperties(schema) };
      default: {
        const avro = PRIMITIVE[schema.type];
        if (avro === undefined) throw new Error(`${at(path)}: unknown schema type "${String(schema.type)}"`);
        if (logical !== undefined && logical.primitive === avro) return { type: avro, ...connectProperties(schema), logicalType: logical.logicalType };
        return primitive(avro, schema);
      }
    }
  }

  private record(schema: Schema, path: string, hint: string): AvroSchema {
    const name = schema.name === undefined ? hint : avroFullName(schema.name);
    const key = canonical(schema);
    const seen = this.defined.get(name);
    if (seen !== undefined) {
      if (seen === key) return name;
      throw new Error(`${at(path)}: two different structs are both named "${name}"; Avro needs one definition per name`);
    }
    this.defined.set(name, key);
    const fields = (schema.fields ?? []).map((f) => {
      const fieldPath = path === '' ? f.field : `${path}.${f.field}`;
      if (!isAvroName(f.field)) throw new Error(`${fieldPath}: "${f.field}" is not a valid Avro field name ([A-Za-z_][A-Za-z0-9_]*)`);
      const out: Record<string, unknown> = { name: f.field, type: this.optional(f.schema, fieldPath, `${name}.${f.field}`) };
      if (f.schema.doc !== undefined) out.doc = f.schema.doc;
      if (f.schema.optional === true && !hasDefault(f.schema)) out.default = null;
      else if (hasDefault(f.schema)) out.default = this.avroDefault(f.schema, fieldPath);
      return out;
    });
    const out: Record<string, unknown> = { type: 'record', name, fields };
    if (schema.doc !== undefined) out.doc = schema.doc;
    if (schema.version !== undefined) out[CONNECT_VERSION] = schema.version;
    if (schema.parameters !== undefined) out[CONNECT_PARAMETERS] = { ...schema.parameters };
    if (schema.name !== undefined && schema.name !== name) out[CONNECT_NAME] = schema.name;
    return out;
  }

  private decimal(schema: Schema, path: string): AvroSchema {
    if (schema.type !== 'bytes') throw new Error(`${at(path)}: a Decimal must be bytes, not ${schema.type}`);
    const scale = Number(schema.parameters?.[DECIMAL_SCALE]);
    if (!Number.isInteger(scale) || scale < 0) throw new Error(`${at(path)}: Decimal has no valid "${DECIMAL_SCALE}" parameter`);
    const rawPrecision = schema.parameters?.[DECIMAL_PRECISION];
    const precision = rawPrecision === undefined ? DEFAULT_DECIMAL_PRECISION : Number(rawPrecision);
    if (!Number.isInteger(precision) || precision < 1 || precision < scale) {
      throw new Error(`${at(path)}: Decimal precision ${rawPrecision} is not an integer of at least 1 and at least the scale (${scale})`);
    }
    return { type: 'bytes', scale, precision, ...connectProperties(schema), logicalType: 'decimal' };
  }

  private enumeration(schema: Schema): AvroSchema {
    const parameters = schema.parameters ?? {};
    const prefix = `${AVRO_ENUM}.`;
    const symbols = Object.keys(parameters)
      .filter((k) => k.startsWith(prefix))
      .map((k) => parameters[k] as string);
    return { type: 'enum', name: avroFullName(parameters[AVRO_ENUM] ?? 'Enum'), symbols, ...connectProperties(schema) };
  }

  /** A Connect default in Avro's JSON default encoding (bytes as ISO-8859-1 text, logical types encoded). */
  private avroDefault(schema: Schema, path: string): unknown {
    const tree = this.defaults.write(schema.default, { ...schema, optional: false }, `${path} (default)`);
    return toAvroJson(tree, path);
  }
}

const PRIMITIVE: Partial<Record<Schema['type'], AvroPrimitive>> = {
  int32: 'int',
  int64: 'long',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
};

function primitive(avro: AvroPrimitive, schema: Schema): AvroSchema {
  const properties = connectProperties(schema);
  return Object.keys(properties).length === 0 ? avro : { type: avro, ...properties };
}

/** AvroData's order: version, parameters, name. */
function connectProperties(schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (schema.version !== undefined) out[CONNECT_VERSION] = schema.version;
  if (schema.parameters !== undefined) out[CONNECT_PARAMETERS] = { ...schema.parameters };
  if (schema.name !== undefined) out[CONNECT_NAME] = schema.name;
  return out;
}

function hasDefault(schema: Schema): boolean {
  return schema.default !== undefined && schema.default !== null;
}

function toAvroJson(value: unknown, path: string): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error(`${at(path)}: default ${value} is beyond 2^53 and cannot be written as an Avro JSON default`);
    return Number(value);
  }
  if (Array.isArray(value)) return value.map((v) => toAvroJson(v, path));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toAvroJson(v, path)]));
  }
  return value;
}

/** Canonical text of a struct's definition (its optionality and default belong to where it is used). */
function canonical(schema: Schema): string {
  const { optional: _optional, default: _default, ...definition } = schema;
  return JSON.stringify(definition, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

function required(sub: Schema | undefined, what: string, path: string): Schema {
  if (sub === undefined) throw new Error(`${at(path)}: schema has no "${what}"`);
  return sub;
}

function at(path: string): string {
  return path === '' ? 'value' : path;
}
