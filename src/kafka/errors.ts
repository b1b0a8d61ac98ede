import { TributaryError, type ErrorCode } from '../sdk/errors.ts';

/**
 * Maps errors thrown by kafkajs to the catalogue in src/sdk/errors.ts. Kept free of kafkajs imports
 * (it reads `name`, `type`, `code`, `retriable` and `cause` structurally) so another adapter can reuse
 * the fencing and reachability rules.
 *
 * Retriability comes from the client's own flag on the most specific error in the cause chain.
 * kafkajs wraps an error in `KafkaJSNumberOfRetriesExceeded` (flagged non-retriable) when its OWN
 * retry budget is spent; that says nothing about whether the runtime's longer retry loop
 * (errors.retry.timeout) may succeed, so the wrapped cause decides instead.
 */

interface ClientErrorLike {
  name?: unknown;
  message?: unknown;
  type?: unknown;
  code?: unknown;
  retriable?: unknown;
  cause?: unknown;
  errors?: unknown;
}

const UNREACHABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  // kafkajs flags it non-retriable once its own short budget is spent, but while a broker restarts
  // "no coordinator" is exactly what an outage looks like, and the runtime's longer loop rides it out.
  'KafkaJSGroupCoordinatorNotFound',
]);

/** INVALID_PRODUCER_EPOCH (47) is what older protocol versions answer; PRODUCER_FENCED (90) newer ones. */
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
const FENCED_CODES = new Set([47, 90]);

/** Wrappers that only say "gave up" or "failed for a reason below"; the cause is more specific. */
const WRAPPER_NAMES = new Set(['KafkaJSNumberOfRetriesExceeded', 'KafkaJSNonRetriableError']);

function asLike(err: unknown): ClientErrorLike | undefined {
  return typeof err === 'object' && err !== null ? (err as ClientErrorLike) : undefined;
}

/** The chain from `err` down through `cause`, plus the members of aggregate errors (CreateTopics). Bounded against cycles. */
function chain(err: unknown): ClientErrorLike[] {
  const out: ClientErrorLike[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 32) {
    const e = asLike(queue.shift());
    if (e === undefined || out.includes(e)) continue;
    out.push(e);
    if (e.cause !== undefined) queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...(e.errors as unknown[]));
  }
  return out;
}

export function isFencedError(err: unknown): boolean {
  return chain(err).some((e) => (typeof e.type === 'string' && FENCED_TYPES.has(e.type)) || (typeof e.code === 'number' && FENCED_CODES.has(e.code) && String(e.name).startsWith('KafkaJS')));
}

/** True when the error (or what it wraps) means no broker could be reached. */
export function isUnreachableError(err: unknown): boolean {
  return chain(err).some((e) => typeof e.name === 'string' && UNREACHABLE_NAMES.has(e.name));
}

/** The client's retriable flag of the most specific error that carries one (see module comment). */
function clientRetriable(err: unknown): boolean {
  const links = chain(err);
  const specific = links.find((e) => typeof e.retriable === 'boolean' && !(typeof e.name === 'string' && WRAPPER_NAMES.has(e.name)));
  if (specific !== undefined) return specific.retriable as boolean;
  const any = links.find((e) => typeof e.retriable === 'boolean');
  return any === undefined ? false : (any.retriable as boolean);
}

/**
 * Wraps any error from the Kafka client as a TributaryError with a gerund context, e.g.
 * `kafkaError(err, 'producing to orders')` → `producing to orders: Connection error: ...`.
 * A TributaryError passes through unchanged (it already has its code and context).
 */
export function kafkaError(err: unknown, context: string): TributaryError {
  if (err instanceof TributaryError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const first = asLike(err);
  const details: Record<string, unknown> = {};
  const typed = chain(err).find((e) => typeof e.type === 'string');
  if (typed !== undefined) details.kafkaErrorType = typed.type;
  if (typeof first?.name === 'string') details.clientError = first.name;

  let code: ErrorCode;
  let retriable: boolean;
  if (isFencedError(err)) {
    code = 'KAFKA_FENCED';
    retriable = false;
  } else if (isUnreachableError(err)) {
    code = 'KAFKA_UNAVAILABLE';
    retriable = true;
  } else {
    code = 'KAFKA_REQUEST_FAILED';
    retriable = clientRetriable(err);
  }
  return new TributaryError(code, `${context}: ${message}`, { cause: err, retriable, details });
}
