/**
 * The error catalogue. Every error Tributary raises on purpose is a {@link TributaryError} with a
 * stable code from {@link ErrorCodes}, a `retriable` flag the runtime's retry loop obeys, and an
 * optional `cause`. Messages follow the "gerund prefix" habit: `sending batch: connection refused`.
 */

export interface ErrorCodeInfo {
  /** Retriable errors may succeed if the same operation is tried again (network, deadlock, rebalance). */
  readonly retriable: boolean;
  readonly summary: string;
}

export const ErrorCodes = {
  // Configuration and user input: never retriable, fix the input.
  CONFIG_INVALID: { retriable: false, summary: 'pipeline or plugin configuration is invalid' },
  CONFIG_YAML_SYNTAX: { retriable: false, summary: 'pipeline file is not valid YAML' },
  CONFIG_ENV_MISSING: { retriable: false, summary: 'an ${env:NAME} reference names an unset variable' },
  PLUGIN_NOT_FOUND: { retriable: false, summary: 'no plugin with that name is registered or loadable' },
  PLUGIN_LOAD_FAILED: { retriable: false, summary: 'a plugin module could not be loaded' },
  PLUGIN_INVALID: { retriable: false, summary: 'a plugin module does not export a valid plugin' },
  USAGE: { retriable: false, summary: 'command-line usage error' },
  // Record-level failures: routed to the dead-letter topic under errors.tolerance=all.
  SERIALIZATION_FAILED: { retriable: false, summary: 'a record could not be serialized' },
  DESERIALIZATION_FAILED: { retriable: false, summary: 'a record could not be deserialized' },
  TRANSFORM_FAILED: { retriable: false, summary: 'a transform rejected a record' },
  SINK_RECORD_REJECTED: { retriable: false, summary: 'the sink refused a record (constraint, type)' },
  // Infrastructure: retriable with backoff, bounded by errors.retry.timeout.
  KAFKA_UNAVAILABLE: { retriable: true, summary: 'the Kafka cluster could not be reached' },
  KAFKA_REQUEST_FAILED: { retriable: true, summary: 'a Kafka request failed' },
  KAFKA_FENCED: { retriable: false, summary: 'this producer was fenced by a newer instance' },
  SOURCE_FAILED: { retriable: true, summary: 'the source system returned an error' },
  SINK_FAILED: { retriable: true, summary: 'the sink system returned an error' },
  HARNESS_UNAVAILABLE: { retriable: false, summary: 'a test dependency could not be started' },
  INTERNAL: { retriable: false, summary: 'an internal invariant was broken (a bug)' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ErrorCodes;

export interface TributaryErrorOptions {
  cause?: unknown;
  /** Overrides the code's default retriability (e.g. a SINK_FAILED for a constraint violation). */
  retriable?: boolean;
  /** Structured details for logs and dead-letter headers; never put secrets here. */
  details?: Record<string, unknown>;
}

export class TributaryError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: TributaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TributaryError';
    this.code = code;
    this.retriable = options.retriable ?? ErrorCodes[code].retriable;
    this.details = options.details ?? {};
  }
}

/** Wraps any thrown value with a gerund context prefix, keeping the original as `cause`. */
export function wrapError(code: ErrorCode, context: string, cause: unknown, options: Omit<TributaryErrorOptions, 'cause'> = {}): TributaryError {
  return new TributaryError(code, `${context}: ${errorMessage(cause)}`, { ...options, cause });
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** True when retrying the failed operation may succeed. Unknown errors are not retried. */
export function isRetriable(err: unknown): boolean {
  if (err instanceof TributaryError) return err.retriable;
  if (typeof err === 'object' && err !== null && 'retriable' in err) return Boolean((err as { retriable: unknown }).retriable);
  return false;
}
