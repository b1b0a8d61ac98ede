import { TributaryError } from '../sdk/errors.ts';
import type { RecordHeader, TributaryRecord } from '../sdk/record.ts';
import type { Schema, SchemaField } from '../sdk/schema.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { readCanal, readDebezium, type ChangeEvent } from './cdc-envelope.ts';
import { toHeaderValue } from './header-value.ts';
import { describeType, isFieldObject, setField } from './record-part.ts';
import { SchemaCache, structWithFields } from './struct-schema.ts';

/**
 * Debezium's ExtractNewRecordState for Debezium envelopes AND Canal flat messages: a change event
 * becomes the flat row it describes.
 *
 * - Inserts, snapshot reads and updates become the row after the change (`after`; Canal's `data[0]`).
 * - Deletes follow `deletes`: `tombstone` (value null, key kept: a compacted topic forgets the row),
 *   `rewrite` (the row before the delete plus `__deleted: "true"`; every other row gets
 *   `__deleted: "false"`, as Debezium writes it), or `drop`.
 * - Incoming tombstones (Debezium sends one after each delete) are dropped unless `tombstones: keep`.
 * - Records that are not row changes (DDL, truncate, heartbeats, anything else) follow `onOther`:
 *   passed on unchanged (default, as Debezium does), dropped, or failed.
 * - `addFields`/`addHeaders` copy metadata as `__<name>` (dots become `_`): envelope fields (`op`,
 *   `ts_ms`) and `source.*` fields (`source.db`, `source.table`, `source.ts_ms`, ...); a bare name
 *   that is not an envelope field is looked up in `source`, like Debezium's `add.fields`. Canal
 *   messages are read as if they were Debezium's: op c/u/d, `ts_ms` is Canal's `ts`, and source has
 *   `db`, `table`, `ts_ms` (Canal's `es`), `gtid` and `pkNames`.
 * - Canal values are strings; `canalValues: typed` (default) turns them into numbers (bigint past
 *   2^53) and booleans by their `sqlType`, keeping DECIMAL as a string (the Decimal representation).
 *   A Canal message with more than one row is a TRANSFORM_FAILED: a transform emits one record.
 *
 * Schema: with a Debezium envelope struct schema, the row takes the `after` (or `before`) field's
 * schema, plus optional string fields for `__deleted` and added metadata.
 */
export type UnwrapCdcConfig = {
  deletes?: 'tombstone' | 'rewrite' | 'drop';
  tombstones?: 'drop' | 'keep';
  onOther?: 'pass' | 'drop' | 'fail';
  addFields?: string[];
  addHeaders?: string[];
  canalValues?: 'typed' | 'string';
};

const NAME = 'unwrap-cdc';
const DOING = 'unwrapping a change event';

const metadataList = (where: string) => ({
  type: 'array',
  items: { type: 'string', pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)?$' },
  uniqueItems: true,
  default: [],
  description: `Metadata to copy into ${where} named \`__<name>\`: \`op\`, \`ts_ms\`, \`source.db\`, \`source.table\`, \`source.ts_ms\`, ...`,
});

export const unwrapCdc: TransformPlugin<UnwrapCdcConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Turn Debezium change events and Canal flat messages into flat rows; deletes as tombstones or __deleted (Debezium's ExtractNewRecordState).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        deletes: {
          type: 'string',
          enum: ['tombstone', 'rewrite', 'drop'],
          default: 'tombstone',
          description: '`tombstone`: a null value; `rewrite`: the deleted row with `__deleted: "true"` (others get "false"); `drop`: no record.',
        },
        tombstones: { type: 'string', enum: ['drop', 'keep'], default: 'drop', description: 'What to do with incoming tombstones (null values).' },
        onOther: {
          type: 'string',
          enum: ['pass', 'drop', 'fail'],
          default: 'pass',
          description: 'Records that are not row changes (DDL, truncate, unknown shapes): pass unchanged, drop, or fail (TRANSFORM_FAILED).',
        },
        addFields: metadataList('the row'),
        addHeaders: metadataList('headers'),
        canalValues: {
          type: 'string',
          enum: ['typed', 'string'],
          default: 'typed',
          description: "`typed`: Canal's string values become numbers and booleans by their sqlType; `string`: kept as Canal wrote them.",
        },
      },
    },
  },
  create(ctx) {
    return new UnwrapCdc(ctx.config);
  },
};

class UnwrapCdc implements Transform {
  private readonly deletes: NonNullable<UnwrapCdcConfig['deletes']>;
  private readonly keepTombstones: boolean;
  private readonly onOther: NonNullable<UnwrapCdcConfig['onOther']>;
  private readonly addFields: readonly string[];
  private readonly addHeaders: readonly string[];
  private readonly typedCanal: boolean;
  private readonly rowSchemas = new SchemaCache<Map<string, Schema>>();

  constructor(config: UnwrapCdcConfig) {
    this.deletes = config.deletes ?? 'tombstone';
    this.keepTombstones = config.tombstones === 'keep';
    this.onOther = config.onOther ?? 'pass';
    this.addFields = config.addFields ?? [];
    this.addHeaders = config.addHeaders ?? [];
    this.typedCanal = (config.canalValues ?? 'typed') === 'typed';
  }

  apply<R extends TributaryRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) return this.keepTombstones ? record : null;
    let value: unknown = record.value;
    // A Connect JSON envelope read without schemas: the event is its payload.
    if (isFieldObject(value) && Object.keys(value).length === 2 && 'schema' in value && 'payload' in value) value = value.payload;
    const read = readDebezium(value, record.valueSchema) ?? readCanal(value, this.typedCanal);
    if (read === undefined) return this.other(record, `the value is ${describeType(value)}, neither a Debezium envelope nor a Canal flat message`);
    if (read.kind === 'other') return this.other(record, read.why);
    if (read.kind === 'invalid') throw new TributaryError('TRANSFORM_FAILED', `${DOING}: ${read.why}`, { details: { transform: NAME } });
    const event: ChangeEvent = read;
    const isDelete = event.op === 'd';
    if (isDelete && this.deletes === 'drop') return null;
    const headers = this.headers(record.headers, event);
    if (isDelete && this.deletes === 'tombstone') {
      const out = { ...record, value: null, headers };
      if (record.valueSchema !== undefined) out.valueSchema = undefined;
      return out;
    }
    const row = isDelete ? event.before : event.after;
    if (!isFieldObject(row)) {
      const image = isDelete ? 'before' : 'after';
      throw new TributaryError('TRANSFORM_FAILED', `${DOING}: op "${event.op}" has ${describeType(row)} as its ${image} row, expected an object with fields`, {
        details: { transform: NAME, op: event.op },
      });
    }
    const out: Record<string, unknown> = { ...row };
    for (const name of this.addFields) setField(out, metadataName(name), metadataValue(event, name));
    const rewrite = this.deletes === 'rewrite';
    if (rewrite) setField(out, '__deleted', isDelete ? 'true' : 'false');
    const rowSchema = isDelete ? event.beforeSchema : event.afterSchema;
    const result = { ...record, value: out, headers };
    if (rowSchema !== undefined) result.valueSchema = this.schemaFor(rowSchema, event, rewrite);
    else if (record.valueSchema !== undefined) result.valueSchema = undefined;
    return result;
  }

  private other<R extends TributaryRecord>(record: R, why: string): R | null {
    if (this.onOther === 'pass') return record;
    if (this.onOther === 'drop') return null;
    throw new TributaryError('TRANSFORM_FAILED', `${DOING}: ${why} (onOther: fail)`, { details: { transform: NAME } });
  }

  private headers(headers: RecordHeader[], event: ChangeEvent): RecordHeader[] {
    if (this.addHeaders.length === 0) return headers;
    return [...headers, ...this.addHeaders.map((name) => ({ key: metadataName(name), value: toHeaderValue(metadataValue(event, name)) }))];
  }

  private schemaFor(rowSchema: Schema, event: ChangeEvent, rewrite: boolean): Schema {
    const byShape = this.rowSchemas.get(rowSchema, () => new Map());
    const key = `${rewrite}`;
    let schema = byShape.get(key);
    if (schema === undefined) {
      const fields: SchemaField[] = [...(rowSchema.fields ?? [])];
      for (const name of this.addFields) fields.push({ field: metadataName(name), schema: { ...(metadataSchema(event, name) ?? { type: 'string' }), optional: true } });
      if (rewrite) fields.push({ field: '__deleted', schema: { type: 'string', optional: true } });
      schema = structWithFields({ ...rowSchema, optional: false }, fields);
      byShape.set(key, schema);
    }
    return schema;
  }
}

/** `source.ts_ms` -> `__source_ts_ms`, `op` -> `__op`. */
function metadataName(name: string): string {
  return `__${name.replace('.', '_')}`;
}

function metadataValue(event: ChangeEvent, name: string): unknown {
  const [head, tail] = name.split('.', 2) as [string, string | undefined];
  if (tail !== undefined) return head === 'source' && isFieldObject(event.source) ? (event.source[tail] ?? null) : null;
  if (Object.prototype.hasOwnProperty.call(event.envelope, head)) return event.envelope[head] ?? null;
  return isFieldObject(event.source) ? (event.source[head] ?? null) : null;
}

function metadataSchema(event: ChangeEvent, name: string): Schema | undefined {
  const schema = event.envelopeSchema;
  if (schema === undefined) return undefined;
  const [head, tail] = name.split('.', 2) as [string, string | undefined];
  const field = (s: Schema | undefined, n: string): Schema | undefined => s?.fields?.find((f) => f.field === n)?.schema;
  const source = field(schema, 'source');
  if (tail !== undefined) return head === 'source' ? field(source, tail) : undefined;
  return field(schema, head) ?? field(source, head);
}
