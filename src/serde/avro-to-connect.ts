import type avro from 'avsc';
import type { Type } from 'avsc';
import type { Schema } from '../sdk/schema.ts';
import type { AvroSchema } from './avro-from-connect.ts';
import {
  AVRO_ENUM,
  CONNECT_DOC,
  CONNECT_NAME,
  CONNECT_PARAMETERS,
  CONNECT_TYPE,
  CONNECT_VERSION,
  DATE_VALUED,
  DEBEZIUM_MICRO_TIME,
  DEBEZIUM_MICRO_TIMESTAMP,
  DECIMAL_PRECISION,
  LOGICAL_FOR_CONNECT_NAME,
} from './avro-names.ts';
import { DATE, DECIMAL, DECIMAL_SCALE, TIME, TIMESTAMP } from './logical-types.ts';

/** An Avro schema with no Connect equivalent: a union of several non-null types, or a recursive record. */
export class UnsupportedAvroSchema extends Error {}

/**
 * Avro schema → Connect-shaped {@link Schema}, the inverse of avro-from-connect.ts and close to
 * Confluent's AvroData.toConnectSchema, so a sink sees the schema the writer had in mind:
 *
 * - `connect.name` / `connect.version` / `connect.parameters` / `connect.type` restore the
 *   original Connect schema (Debezium names, int8/int16, parameters);
 * - logical types without them become Connect's Decimal, Date, Time and Timestamp, and
 *   time-micros/timestamp-micros Debezium's MicroTime/MicroTimestamp (their values are numbers);
 * - record → struct named by its full name; enum → string with AvroData's enum parameters; fixed →
 *   bytes; `[null, T]` → optional T; field defaults in their JS form.
 *
 * Walks the schema JSON (for the attributes avsc drops) alongside the avsc type built from it by
 * avro-types.ts (for name resolution and defaults already converted the way values are).
 */
export function avroToConnect(schema: AvroSchema, type: Type): Schema {
  return new AvroToConnect().walk(schema, type, '');
}

type Json = Record<string, unknown>;

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

class AvroToConnect {
  /** Named types already converted, by full name; a later reference reuses the same object. */
  private readonly named = new Map<string, Schema>();
  private readonly inProgress = new Set<string>();

  walk(node: AvroSchema, type: Type, namespace: string): Schema {
    if (typeof node === 'string') {
      if (PRIMITIVES.has(node)) return primitive(node, {});
      const full = qualify(node, namespace);
      if (this.inProgress.has(full)) throw new UnsupportedAvroSchema(`record ${full} refers to itself; Connect schemas cannot be recursive`);
      const schema = this.named.get(full);
      if (schema === undefined) throw new UnsupportedAvroSchema(`type ${full} is used before it is defined`);
      return schema;
    }
    if (Array.isArray(node)) return this.union(node, type as avro.types.UnwrappedUnionType, namespace);
    const json = node as Json;
    const kind = json.type;
    if (typeof kind === 'object' && kind !== null) return this.walk(kind as AvroSchema, type, namespace);
    switch (kind) {
      case 'record':
      case 'error':
        return this.record(json, type as avro.types.RecordType, namespace);
      case 'enum':
        return this.define(json, namespace, (name) => {
          const symbols = (json.symbols as string[] | undefined) ?? [];
          const parameters: Record<string, string> = { ...connectParameters(json), [AVRO_ENUM]: name };
          for (const s of symbols) parameters[`${AVRO_ENUM}.${s}`] = s;
          return withConnectAttributes({ type: 'string', optional: false, parameters }, json);
        });
      case 'fixed':
        if (json.logicalType === 'decimal') return decimal(json);
        return this.define(json, namespace, () => withConnectAttributes({ type: 'bytes', optional: false }, json));
      case 'array':
        return withConnectAttributes({ type: 'array', optional: false, items: this.walk(json.items as AvroSchema, (type as avro.types.ArrayType).itemsType, namespace) }, json);
      case 'map':
        return withConnectAttributes(
          { type: 'map', optional: false, keys: { type: 'string', optional: false }, values: this.walk(json.values as AvroSchema, (type as avro.types.MapType).valuesType as Type, namespace) },
          json,
        );
      default:
        if (typeof kind === 'string' && PRIMITIVES.has(kind)) return primitive(kind, json);
        if (typeof kind === 'string') return this.walk(kind, type, namespace);
        throw new UnsupportedAvroSchema(`unknown Avro type ${JSON.stringify(kind)}`);
    }
  }

  private union(branches: AvroSchema[], type: avro.types.UnwrappedUnionType, namespace: string): Schema {
    const nonNull = branches.map((b, i) => ({ b, i })).filter(({ b }) => b !== 'null' && !(typeof b === 'object' && !Array.isArray(b) && b.type === 'null'));
    const only = nonNull[0];
    if (nonNull.length !== 1 || only === undefined) {
      throw new UnsupportedAvroSchema(`a union of ${nonNull.length} non-null types has no Connect equivalent (only [null, T] does)`);
    }
    const branchType = type.types[only.i];
    if (branchType === undefined) throw new Error('avsc union and schema disagree');
    const inner = this.walk(only.b, branchType, namespace);
    return nonNull.length === branches.length ? inner : { ...inner, optional: true };
  }

  private record(json: Json, type: avro.types.RecordType, namespace: string): Schema {
    return this.define(json, namespace, (full, inner) => {
      this.inProgress.add(full);
      const fields = ((json.fields as Json[] | undefined) ?? []).map((f, i) => {
        const field = type.fields[i];
        if (field === undefined) throw new Error('avsc record and schema disagree');
        let schema = this.walk(f.type as AvroSchema, field.type, inner);
        const value: unknown = Object.hasOwn(f, 'default') ? field.defaultValue() : undefined;
        if (value !== undefined && value !== null) schema = { ...schema, default: value };
        if (typeof f.doc === 'string') schema = { ...schema, doc: f.doc };
        return { field: f.name as string, schema };
      });
      this.inProgress.delete(full);
      const schema: Schema = { type: 'struct', optional: false, name: typeof json[CONNECT_NAME] === 'string' ? json[CONNECT_NAME] : full, fields };
      if (typeof json[CONNECT_VERSION] === 'number') schema.version = json[CONNECT_VERSION];
      if (typeof json.doc === 'string') schema.doc = json.doc;
      const parameters = connectParameters(json);
      if (Object.keys(parameters).length > 0) schema.parameters = parameters;
      return schema;
    });
  }

  /** Converts a named type once; `build` gets its full name and the namespace its members inherit. */
  private define(json: Json, namespace: string, build: (full: string, inner: string) => Schema): Schema {
    const full = qualify(json.name as string, typeof json.namespace === 'string' ? json.namespace : namespace);
    const inner = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
    const schema = build(full, inner);
    this.named.set(full, schema);
    return schema;
  }
}

function primitive(kind: string, json: Json): Schema {
  if (kind === 'null') throw new UnsupportedAvroSchema('a bare "null" type has no Connect equivalent');
  const logical = json.logicalType;
  if (logical === 'decimal' && kind === 'bytes') return decimal(json);
  const connectName = typeof json[CONNECT_NAME] === 'string' ? json[CONNECT_NAME] : undefined;
  const temporal = typeof logical === 'string' ? temporalName(logical, kind, connectName) : undefined;
  if (temporal !== undefined) {
    const schema: Schema = { type: kind === 'int' ? 'int32' : 'int64', optional: false, name: temporal, version: typeof json[CONNECT_VERSION] === 'number' ? json[CONNECT_VERSION] : 1 };
    const parameters = connectParameters(json);
    if (Object.keys(parameters).length > 0) schema.parameters = parameters;
    return schema;
  }
  const type = kind === 'int' ? intType(json[CONNECT_TYPE]) : PRIMITIVE_TO_CONNECT[kind];
  if (type === undefined) throw new UnsupportedAvroSchema(`unknown Avro type "${kind}"`);
  return withConnectAttributes({ type, optional: false }, json);
}

/**
 * The Connect name a temporal logical type reads as. `connect.name` wins when it names a type of the
 * same logical kind (Debezium's Date on an int with logicalType date); otherwise Connect's own
 * types, and Debezium's for the micros, which Connect lacks.
 */
function temporalName(logical: string, kind: string, connectName: string | undefined): string | undefined {
  if (connectName !== undefined && LOGICAL_FOR_CONNECT_NAME[connectName]?.logicalType === logical) return connectName;
  if (connectName !== undefined && !DATE_VALUED.has(connectName)) return undefined;
  switch (`${kind}:${logical}`) {
    case 'int:date':
      return DATE;
    case 'int:time-millis':
      return TIME;
    case 'long:timestamp-millis':
      return TIMESTAMP;
    case 'long:time-micros':
      return DEBEZIUM_MICRO_TIME;
    case 'long:timestamp-micros':
      return DEBEZIUM_MICRO_TIMESTAMP;
    default:
      return undefined;
  }
}

function decimal(json: Json): Schema {
  const scale = typeof json.scale === 'number' ? json.scale : 0;
  const parameters: Record<string, string> = { ...connectParameters(json), [DECIMAL_SCALE]: String(scale) };
  if (typeof json.precision === 'number') parameters[DECIMAL_PRECISION] = String(json.precision);
  return { type: 'bytes', optional: false, name: DECIMAL, version: 1, parameters };
}

const PRIMITIVE_TO_CONNECT: Record<string, Schema['type']> = {
  boolean: 'boolean',
  long: 'int64',
  float: 'float32',
  double: 'float64',
  bytes: 'bytes',
  string: 'string',
};

function intType(connectType: unknown): Schema['type'] {
  return connectType === 'int8' || connectType === 'int16' ? connectType : 'int32';
}

function connectParameters(json: Json): Record<string, string> {
  const raw = json[CONNECT_PARAMETERS];
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Applies `connect.name`, `connect.version`, `connect.parameters` and `connect.doc`. */
function withConnectAttributes(schema: Schema, json: Json): Schema {
  if (typeof json[CONNECT_NAME] === 'string') schema.name = json[CONNECT_NAME];
  if (typeof json[CONNECT_VERSION] === 'number') schema.version = json[CONNECT_VERSION];
  const parameters = connectParameters(json);
  if (Object.keys(parameters).length > 0) schema.parameters = { ...parameters, ...schema.parameters };
  if (typeof json[CONNECT_DOC] === 'string') schema.doc = json[CONNECT_DOC];
  return schema;
}

/** Avro name resolution: a dotted name is already full; otherwise it joins the enclosing namespace. */
function qualify(name: string, namespace: string): string {
  if (name.includes('.') || namespace === '') return name;
  return `${namespace}.${name}`;
}
