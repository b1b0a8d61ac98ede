/**
 * Turns an exception from the log or a coordinator into the error code a response carries.
 * Expected failures arrive as errors with a Kafka `errorCode` (LogError does); anything else is a
 * broker bug, logged loudly and reported as UNKNOWN_SERVER_ERROR rather than dropping the connection.
 */
import type { Logger } from '../../sdk/logger.ts';
import { ErrorCode } from '../protocol/error-code.ts';

export function errorCodeOf(err: unknown, logger: Logger, context: string): number {
  if (typeof err === 'object' && err !== null && 'errorCode' in err && typeof (err as { errorCode: unknown }).errorCode === 'number') {
    return (err as { errorCode: number }).errorCode;
  }
  logger.error({ err, context }, `${context}: unexpected error`);
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}

export function errorMessageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
