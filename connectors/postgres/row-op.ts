import { Buffer } from 'node:buffer';
import type { Schema, SchemaField } from '../../src/sdk/index.ts';
import { normalizeBySchema, pgTypeForSchema, pgTypeForValue, type TypeContext } from './column-type.ts';
import { identifierProblem } from './identifier.ts';

/** One column value of a row, with the type to create its column with if the table lacks it. */
export interface Cell {
  value: unknown;
  /** A PostgreSQL type name from column-type.ts; undefined when unknown (a null without a schema). */
  type: string | undefined;
}

/** Column name -> cell. A Map, so a field named `__proto__` is just a column. */
export type Row = Map<string, Cell>;

/**
 * What one record asks of the database: write a row (INSERT or upsert, per the sink's mode) or
 * delete the row with a key. A record yields zero or more ops (a Canal message carries many rows).
 */
export interface RowOp {
  kind: 'upsert' | 'delete';
  table: string;
  /** For upserts the whole row; for deletes at least the key columns (often the old row). */
  row: Row;
  /** Primary key columns known from the config or the record; empty: the table's own key decides. */
  pk: string[];
  /** A record key that is not an object: the value of a single-column primary key. */
  scalarKey?: unknown;
  /** Index of the record in the put() batch, to name it when it is refused. */
  index: number;
}

/** A record the sink cannot write, whatever the database says: it goes to the dead-letter topic. */
export class RecordRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordRefused';
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date) && !(value instanceof Map) && !(value instanceof Set);
}

/** A key usable as the value of a one-column primary key. */
export function isScalarKey(key: unknown): key is string | number | bigint | boolean | Buffer {
  return typeof key === 'string' || typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean' || Buffer.isBuffer(key);
}

/**
 * The row held by an object, typed by the struct fields of its schema when there is one. Fields are
 * taken from the object (a schema may omit optional ones); a field name that cannot be a column is
 * a refusal, not a silent drop.
 */
export function rowFromObject(obj: Record<string, unknown>, fields: readonly SchemaField[] | undefined, context: TypeContext = {}): Row {
  const schemas = fields === undefined ? undefined : schemasByName(fields);
  const row: Row = new Map();
  for (const name in obj) {
    if (!Object.hasOwn(obj, name)) continue;
    checkColumnName(name);
    const value = obj[name];
    const schema = schemas?.get(name);
    row.set(name, schema === undefined ? { value, type: pgTypeForValue(value) } : { value: normalizeBySchema(value, schema), type: pgTypeForSchema(schema, context) });
  }
  return row;
}

/** Records of a stream share their schema object (the deserializer caches it), so its lookup map is built once. */
const fieldMaps = new WeakMap<readonly SchemaField[], Map<string, Schema>>();

function schemasByName(fields: readonly SchemaField[]): Map<string, Schema> {
  let map = fieldMaps.get(fields);
  if (map === undefined) {
    map = new Map(fields.map((f) => [f.field, f.schema]));
    fieldMaps.set(fields, map);
  }
  return map;
}

/**
 * Names already found valid. Every record of a stream repeats the same few field names, and the
 * check (a UTF-8 byte count) would otherwise run for every cell. Bounded: cleared when full.
 */
const validNames = new Set<string>();
const VALID_NAMES_MAX = 10_000;

export function checkColumnName(name: string): void {
  if (validNames.has(name)) return;
  const problem = identifierProblem(name);
  if (problem !== undefined) throw new RecordRefused(`field ${JSON.stringify(name)} cannot be a column: it ${problem}`);
  if (validNames.size >= VALID_NAMES_MAX) validNames.clear();
  validNames.add(name);
}

/** Adds the key's fields the row lacks (Kafka Connect's pk.mode=record_key puts them in the row). */
export function fillFromKey(row: Row, key: unknown, keyFields: readonly SchemaField[] | undefined): void {
  if (!isPlainObject(key)) return;
  for (const [name, cell] of rowFromObject(key, keyFields)) if (!row.has(name)) row.set(name, cell);
}

/** What describes a value in a refusal: its kind, never its content (it may be personal data). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
