/**
 * Errors raised by the log layer. Each carries the Kafka protocol error code the broker puts in the
 * response, so request handlers map a {@link LogError} to the wire without a lookup table.
 */

/** Kafka protocol error codes used by the log layer (names as in Kafka's `Errors` enum). */
export const OFFSET_OUT_OF_RANGE = 1;
export const CORRUPT_MESSAGE = 2;
export const UNKNOWN_TOPIC_OR_PARTITION = 3;
export const MESSAGE_TOO_LARGE = 10;
export const INVALID_TOPIC_EXCEPTION = 17;
export const RECORD_LIST_TOO_LARGE = 18;
export const INVALID_TIMESTAMP = 32;
export const TOPIC_ALREADY_EXISTS = 36;
export const INVALID_PARTITIONS = 37;
export const INVALID_CONFIG = 40;
export const INVALID_REQUEST = 42;
export const UNSUPPORTED_FOR_MESSAGE_FORMAT = 43;
export const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
export const DUPLICATE_SEQUENCE_NUMBER = 46;
export const INVALID_PRODUCER_EPOCH = 47;
export const INVALID_TXN_STATE = 48;
export const TRANSACTION_COORDINATOR_FENCED = 52;
export const KAFKA_STORAGE_ERROR = 56;
export const UNKNOWN_PRODUCER_ID = 59;
export const UNSUPPORTED_COMPRESSION_TYPE = 76;
export const INVALID_RECORD = 87;
export const PRODUCER_FENCED = 90;

export class LogError extends Error {
  constructor(
    /** Kafka protocol error code for the response. */
    readonly errorCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LogError';
  }
}
