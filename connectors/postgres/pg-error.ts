import { TributaryError, errorMessage } from '../../src/sdk/index.ts';
import { RecordRefused } from './row-op.ts';

/**
 * How a failure from PostgreSQL (or the connection to it) is reported to the runtime:
 *
 * - `transient`: may succeed when tried again: the connection broke or could not be made, the server
 *   is starting or shutting down, serialization_failure (40001), deadlock (40P01), lock or statement
 *   timeouts, too many connections. SINK_FAILED, retriable.
 * - `data`: the rows themselves were refused: data exceptions (class 22: bad text for the type, value
 *   out of range, too long) and integrity violations (class 23: unique, not-null, check, foreign
 *   key). The batch is refused as SINK_RECORD_REJECTED so the runtime retries it record by record and
 *   dead-letters the records that still fail.
 * - `stale`: the table or a column the sink cached has gone (42P01, 42703): retriable after the
 *   caller drops its catalog cache.
 * - `permanent`: anything else (permissions, authentication, a missing database, bad SQL). SINK_FAILED,
 *   not retriable: the pipeline stops and says why.
 */
export type FailureKind = 'transient' | 'data' | 'stale' | 'permanent';

const TRANSIENT_STATES = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '53000', '53100', '53200', '53300', '53400', '58000', '58030']);
// 21000: ON CONFLICT DO UPDATE met two rows with the same key in one statement (keys equal only
// after the cast, e.g. "5" and "05"); one record at a time each applies cleanly.
const DATA_STATE_CLASSES = ['22', '23'];
const DATA_STATES = new Set(['21000']);
const STALE_STATES = new Set(['42P01', '42703']);

export interface PgErrorFields {
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
}

function fields(err: unknown): PgErrorFields {
  return typeof err === 'object' && err !== null ? (err as PgErrorFields) : {};
}

/** The SQLSTATE, when the error came from the server (five characters); undefined for socket errors. */
export function sqlState(err: unknown): string | undefined {
  const code = fields(err).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function failureKind(err: unknown): FailureKind {
  if (err instanceof RecordRefused) return 'data';
  const state = sqlState(err);
  // No SQLSTATE: a socket error (ECONNRESET, ECONNREFUSED), "Connection terminated unexpectedly",
  // a pool connect timeout. The connection is the problem, not the statement.
  if (state === undefined) return 'transient';
  if (state.startsWith('08') || TRANSIENT_STATES.has(state)) return 'transient';
  if (DATA_STATES.has(state) || DATA_STATE_CLASSES.includes(state.slice(0, 2))) return 'data';
  if (STALE_STATES.has(state)) return 'stale';
  return 'permanent';
}

/**
 * Details for logs: SQLSTATE and what the server named (constraint, table, column, and its detail,
 * which may quote key values). Never credentials: the server does not echo them.
 */
export function pgDetails(err: unknown): Record<string, unknown> {
  const f = fields(err);
  const out: Record<string, unknown> = {};
  for (const key of ['code', 'constraint', 'table', 'column', 'schema', 'detail'] as const) {
    const v = f[key];
    if (typeof v === 'string' && v !== '') out[key === 'code' ? 'sqlState' : key] = v;
  }
  return out;
}

/** Wraps a failure of `context` (a gerund phrase) as the TributaryError its kind calls for. */
export function sinkError(context: string, err: unknown, extra: Record<string, unknown> = {}): TributaryError {
  if (err instanceof TributaryError) return err;
  const kind = failureKind(err);
  const details = { ...pgDetails(err), ...extra };
  const message = `${context}: ${errorMessage(err)}`;
  if (kind === 'data') return new TributaryError('SINK_RECORD_REJECTED', message, { cause: err, details });
  return new TributaryError('SINK_FAILED', message, { cause: err, retriable: kind !== 'permanent', details });
}

/**
 * A failed CREATE TABLE / ALTER TABLE. Unlike a data write, an integrity error here is not about a
 * record: it is a concurrent DDL that won a race (duplicate type or relation), so it is retried,
 * and the retry re-reads the catalog.
 */
export function ddlError(context: string, err: unknown): TributaryError {
  if (err instanceof TributaryError) return err;
  const kind = failureKind(err);
  const raced = kind === 'data' || sqlState(err) === '42P07' || sqlState(err) === '42710';
  return new TributaryError('SINK_FAILED', `${context}: ${errorMessage(err)}`, { cause: err, retriable: kind !== 'permanent' || raced, details: pgDetails(err) });
}
