import type { Schema } from '../sdk/schema.ts';
import { describeType, isFieldObject } from './record-part.ts';

/**
 * Reading change events of the two formats `unwrap-cdc` understands into one shape: a Debezium
 * envelope `{ before, after, source, op, ts_ms }` and a Canal FlatMessage `{ database, table, type,
 * isDdl, data, old, es, ts, sqlType, ... }` (read as if it were a Debezium event).
 */
export type RowOp = 'c' | 'r' | 'u' | 'd';

export interface ChangeEvent {
  kind: 'row';
  op: RowOp;
  before: unknown;
  after: unknown;
  source: unknown;
  /** Top-level envelope fields (`op`, `ts_ms`, ...), for metadata lookups. */
  envelope: Record<string, unknown>;
  envelopeSchema?: Schema;
  beforeSchema?: Schema;
  afterSchema?: Schema;
}

/** A recognised message that is not a row change (DDL, truncate), or a row change that is malformed. */
export type NotARow = { kind: 'other'; why: string } | { kind: 'invalid'; why: string };

const ROW_OPS = new Set<string>(['c', 'r', 'u', 'd']);

/** A Debezium event, or undefined when the value does not look like a Debezium envelope at all. */
export function readDebezium(value: unknown, schema: Schema | undefined): ChangeEvent | NotARow | undefined {
  if (!isFieldObject(value) || typeof value.op !== 'string' || !('after' in value || 'before' in value)) return undefined;
  const op = value.op;
  if (!ROW_OPS.has(op)) return { kind: 'other', why: `Debezium op "${op}" is not a row change` };
  const event: ChangeEvent = { kind: 'row', op: op as RowOp, before: value.before ?? null, after: value.after ?? null, source: value.source ?? null, envelope: value };
  if (schema?.type === 'struct') {
    event.envelopeSchema = schema;
    const field = (n: string): Schema | undefined => schema.fields?.find((f) => f.field === n)?.schema;
    const before = field('before');
    const after = field('after');
    if (before !== undefined) event.beforeSchema = before;
    if (after !== undefined) event.afterSchema = after;
  }
  return event;
}

const CANAL_OPS: Record<string, RowOp> = { INSERT: 'c', UPDATE: 'u', DELETE: 'd' };

/** A Canal FlatMessage read as a Debezium event, or undefined when the value is not one. */
export function readCanal(value: unknown, typed: boolean): ChangeEvent | NotARow | undefined {
  if (!isFieldObject(value) || typeof value.type !== 'string' || !('data' in value) || typeof value.table !== 'string') return undefined;
  const type = value.type;
  if (value.isDdl === true) return { kind: 'other', why: `Canal message is DDL (${type})` };
  const op = CANAL_OPS[type];
  if (op === undefined) return { kind: 'other', why: `Canal type "${type}" is not a row change` };
  const data = value.data;
  if (!Array.isArray(data) || data.length === 0) return { kind: 'invalid', why: `Canal ${type} message has ${Array.isArray(data) ? 'no rows' : `${describeType(data)} as data`}, expected one row` };
  if (data.length > 1) {
    return { kind: 'invalid', why: `Canal ${type} message holds ${data.length} rows; unwrap-cdc makes one record per row, so the producer must send one row per message` };
  }
  const row = data[0];
  if (!isFieldObject(row)) return { kind: 'invalid', why: `Canal ${type} row is ${describeType(row)}, expected an object` };
  const sqlType = isFieldObject(value.sqlType) ? value.sqlType : {};
  let image: Record<string, unknown>;
  try {
    image = typed ? typedRow(row, sqlType) : row;
  } catch (err) {
    return { kind: 'invalid', why: `Canal ${type} row: ${err instanceof Error ? err.message : String(err)}` };
  }
  let before: unknown = null;
  if (op === 'd') before = image;
  else if (op === 'u' && Array.isArray(value.old) && isFieldObject(value.old[0])) {
    // Canal's `old` holds only the changed columns; the rest were as they are now.
    const old = typed ? typedRow(value.old[0], sqlType) : value.old[0];
    before = { ...image, ...old };
  }
  const source = { db: value.database ?? null, table: value.table, ts_ms: value.es ?? null, gtid: value.gtid ?? null, pkNames: value.pkNames ?? null };
  return { kind: 'row', op, before, after: op === 'd' ? null : image, source, envelope: { op, ts_ms: value.ts ?? null } };
}

/* java.sql.Types codes, as Canal reports them in sqlType. */
const INTEGER_TYPES = new Set([-7, -6, 5, 4, -5]);
const FLOAT_TYPES = new Set([6, 7, 8]);
const BOOLEAN_TYPE = 16;

function typedRow(row: Record<string, unknown>, sqlType: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, v] of Object.entries(row)) {
    const code = sqlType[column];
    out[column] = typeof v === 'string' && typeof code === 'number' ? typedValue(column, v, code) : v;
  }
  return out;
}

function typedValue(column: string, text: string, code: number): unknown {
  if (INTEGER_TYPES.has(code)) {
    if (!/^-?\d+$/.test(text)) throw new Error(`column "${column}" has sqlType ${code} (an integer) but value ${JSON.stringify(text)}`);
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  if (FLOAT_TYPES.has(code)) {
    const n = Number(text);
    if (text.trim() === '' || Number.isNaN(n)) throw new Error(`column "${column}" has sqlType ${code} (a float) but value ${JSON.stringify(text)}`);
    return n;
  }
  if (code === BOOLEAN_TYPE) return text === '1' || text.toLowerCase() === 'true';
  return text;
}
