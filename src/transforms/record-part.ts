import { TributaryError } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Schema } from '../sdk/schema.ts';
import type { ConfigSchema } from '../sdk/spec.ts';

/**
 * Which half of a record a field transform edits: Kafka Connect's `$Value` and `$Key` variants of one
 * SMT become a `target` option here.
 */
export type Target = 'value' | 'key';

export const TARGETS: readonly Target[] = ['value', 'key'];

/** The `target` option as every field transform declares it, so its wording stays identical. */
export const targetConfigSchema: ConfigSchema = {
  type: 'string',
  enum: [...TARGETS],
  default: 'value',
  description: "Which part of the record to edit: `value` (Connect's $Value variant) or `key` ($Key).",
};

export interface RecordPart {
  data: unknown;
  schema: Schema | undefined;
}

export function readPart(record: TributaryRecord, target: Target): RecordPart {
  return target === 'value' ? { data: record.value, schema: record.valueSchema } : { data: record.key, schema: record.keySchema };
}

/**
 * A copy of `record` with one part replaced. The schema property is only written when the record had
 * one or gets one, so schemaless records do not grow an explicit `valueSchema: undefined`.
 */
export function withPart<R extends TributaryRecord>(record: R, target: Target, data: unknown, schema: Schema | undefined): R {
  if (target === 'value') {
    return schema === undefined && record.valueSchema === undefined ? { ...record, value: data } : { ...record, value: data, valueSchema: schema };
  }
  return schema === undefined && record.keySchema === undefined ? { ...record, key: data } : { ...record, key: data, keySchema: schema };
}

/** True for the objects field transforms edit: plain data objects, not arrays, bytes, dates or maps. */
export function isFieldObject(data: unknown): data is Record<string, unknown> {
  if (typeof data !== 'object' || data === null) return false;
  if (Array.isArray(data) || data instanceof Uint8Array || data instanceof Date || data instanceof Map) return false;
  return true;
}

/** A short description of a value's type for error messages: `a string`, `an array`, `a Buffer`. */
export function describeType(data: unknown): string {
  if (data === null) return 'null';
  if (data === undefined) return 'undefined';
  if (Array.isArray(data)) return 'an array';
  if (Buffer.isBuffer(data)) return 'a Buffer';
  if (data instanceof Uint8Array) return 'a Uint8Array';
  if (data instanceof Date) return 'a Date';
  if (data instanceof Map) return 'a Map';
  const t = typeof data;
  return t === 'object' ? 'an object' : `a ${t}`;
}

/**
 * The object a field transform edits, or a TRANSFORM_FAILED naming what was found instead.
 * `doing` is the gerund phrase that opens the message, e.g. `masking fields ["email"] in record value`.
 */
export function requireFieldObject(data: unknown, doing: string, transform: string, target: Target): Record<string, unknown> {
  if (isFieldObject(data)) return data;
  throw new TributaryError('TRANSFORM_FAILED', `${doing}: record ${target} is ${describeType(data)}, expected an object with fields`, {
    details: { transform, target },
  });
}

/** Field transforms edit struct schemas only; anything else is a TRANSFORM_FAILED. */
export function assertStructSchema(schema: Schema, doing: string, transform: string, target: Target): void {
  if (schema.type === 'struct') return;
  throw new TributaryError('TRANSFORM_FAILED', `${doing}: record ${target} schema is ${schema.type}, expected struct`, {
    details: { transform, target },
  });
}

/**
 * `object[field] = value`, except that a field named `__proto__` becomes an own data property (as
 * `JSON.parse` makes it) instead of replacing the object's prototype.
 */
export function setField(object: Record<string, unknown>, field: string, value: unknown): void {
  if (field === '__proto__') Object.defineProperty(object, field, { value, enumerable: true, writable: true, configurable: true });
  else object[field] = value;
}

/** What a field transform does when a field it names is absent from a record (or its schema). */
export type OnMissing = 'ignore' | 'fail';

export function onMissingConfigSchema(what: string): ConfigSchema {
  return {
    type: 'string',
    enum: ['ignore', 'fail'],
    default: 'ignore',
    description: `What to do when ${what} is absent from a record: \`ignore\` it, or \`fail\` the record (TRANSFORM_FAILED).`,
  };
}
