import { TributaryError, errorMessage, type ErrorCode } from '../../sdk/errors.ts';
import type { SerdeCallContext } from '../../sdk/serde.ts';
import { RegistryUnavailableError } from './client.ts';

/**
 * The record-level error of a registry-backed serde, naming the part, topic and format. An
 * unreachable registry is not the record's fault: the error says so (`retriable`), so a runtime that
 * retries retriable failures need not dead-letter the record.
 */
export function serdeFailure(format: string, code: Extract<ErrorCode, 'SERIALIZATION_FAILED' | 'DESERIALIZATION_FAILED'>, call: SerdeCallContext, err: unknown): TributaryError {
  if (err instanceof TributaryError && err.code === code) return err;
  const verb = code === 'SERIALIZATION_FAILED' ? 'serializing' : 'deserializing';
  return new TributaryError(code, `${verb} ${call.isKey ? 'key' : 'value'} of topic "${call.topic}" as ${format}: ${errorMessage(err)}`, {
    cause: err,
    retriable: err instanceof RegistryUnavailableError,
  });
}
