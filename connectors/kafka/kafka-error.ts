import { TributaryError, type ErrorCode } from '../../src/sdk/index.ts';

/**
 * Maps errors thrown by kafkajs to the catalogue: KAFKA_FENCED when a newer producer took over the
 * transactional id (never retried), KAFKA_UNAVAILABLE when no broker answers, KAFKA_REQUEST_FAILED
 * otherwise, retriable as kafkajs judged the most specific error in the cause chain. (The runtime has
 * the same rules for its own client; connectors may import only the SDK, hence this small copy.)
 */

interface ErrorLike {
  name?: unknown;
  type?: unknown;
  code?: unknown;
  retriable?: unknown;
  cause?: unknown;
}

// INVALID_PRODUCER_EPOCH (47) is what older protocol versions answer; PRODUCER_FENCED (90) newer ones.
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
const UNREACHABLE = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSNoBrokerAvailableError', 'KafkaJSBrokerNotFound']);
// Wrappers that only say "gave up"; the error they wrap says whether trying again can help.
const WRAPPERS = new Set(['KafkaJSNumberOfRetriesExceeded', 'KafkaJSNonRetriableError']);

function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let e: unknown = err;
  while (typeof e === 'object' && e !== null && out.length < 16 && !out.includes(e as ErrorLike)) {
    out.push(e as ErrorLike);
    e = (e as ErrorLike).cause;
  }
  return out;
}

export function isFenced(err: unknown): boolean {
  return chain(err).some((e) => typeof e.type === 'string' && FENCED_TYPES.has(e.type));
}

export function kafkaError(err: unknown, context: string): TributaryError {
  if (err instanceof TributaryError) return err;
  const links = chain(err);
  const message = err instanceof Error ? err.message : String(err);
  const typed = links.find((e) => typeof e.type === 'string');
  const details: Record<string, unknown> = typed === undefined ? {} : { kafkaErrorType: typed.type };
  let code: ErrorCode = 'KAFKA_REQUEST_FAILED';
  let retriable: boolean;
  if (isFenced(err)) {
    code = 'KAFKA_FENCED';
    retriable = false;
  } else if (links.some((e) => typeof e.name === 'string' && UNREACHABLE.has(e.name))) {
    code = 'KAFKA_UNAVAILABLE';
    retriable = true;
  } else {
    const specific = links.find((e) => typeof e.retriable === 'boolean' && !(typeof e.name === 'string' && WRAPPERS.has(e.name)));
    retriable = specific?.retriable === true;
  }
  return new TributaryError(code, `${context}: ${message}`, { cause: err, retriable, details });
}
