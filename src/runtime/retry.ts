import type { Clock } from '../sdk/clock.ts';
import { isRetriable } from '../sdk/errors.ts';
import type { Logger } from '../sdk/logger.ts';

export interface RetryPolicy {
  /** Give up once this much time has passed since the first attempt (errors.retry.timeout). */
  timeoutMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Runs `operation` until it succeeds, retrying retriable errors with exponential backoff and full
 * jitter until the policy's timeout, counted from the first failure (Kafka Connect's
 * errors.retry.timeout). It wraps per-record serde calls, so the success path does no bookkeeping. Non-retriable errors, and the last retriable one once the
 * timeout is spent, are rethrown unchanged so callers can route them (dead letter or stop).
 */
export async function withRetry<T>(
  what: string,
  operation: () => Promise<T>,
  deps: { policy: RetryPolicy; clock: Clock; logger: Logger; signal?: AbortSignal; random?: () => number },
): Promise<T> {
  const { policy, clock, logger, signal } = deps;
  const random = deps.random ?? Math.random;
  let started: number | undefined;
  let attempt = 0;
  for (;;) {
    try {
      return await operation();
    } catch (err) {
      attempt++;
      started ??= clock.now();
      const elapsed = clock.now() - started;
      if (!isRetriable(err) || elapsed >= policy.timeoutMs || signal?.aborted) throw err;
      const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      const delay = Math.min(Math.max(1, Math.round(ceiling * (0.5 + random() / 2))), policy.timeoutMs - elapsed);
      logger.warn({ err, attempt, delayMs: delay }, `${what} failed, retrying`);
      await clock.sleep(delay, signal);
    }
  }
}
