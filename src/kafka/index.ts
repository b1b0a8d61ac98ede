/**
 * The Kafka client layer. The runtime depends on the interfaces in client.ts and gets an
 * implementation from {@link createKafkaClient}; today that is kafkajs, and a librdkafka adapter can
 * be chosen here later without the runtime noticing.
 */
import type { Logger } from '../sdk/logger.ts';
import type { KafkaClient } from './client.ts';
import { KafkajsClient, type KafkaClientOptions, type KafkaConnection } from './kafkajs-adapter.ts';

export * from './client.ts';
export { kafkaError, isFencedError, isUnreachableError } from './errors.ts';
export { fromKafkaHeaders, toKafkaHeaders, type KafkaHeaders } from './headers.ts';
export type { KafkaLogLevel } from './kafkajs-log.ts';
export {
  DEFAULT_CLIENT_ID,
  DEFAULT_CONNECTION_TIMEOUT_MS,
  DEFAULT_MAX_WAIT_TIME_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY,
  DEFAULT_TRANSACTION_TIMEOUT_MS,
  KafkajsClient,
  type KafkaClientOptions,
  type KafkaConnection,
  type RetrySettings,
} from './kafkajs-adapter.ts';
export { murmur2, partitionForKey, toPositive } from './murmur2.ts';
export { createPartitioner, tributaryPartitioner, type Partitioner, type PartitionerInput, type PartitionerOptions, type PartitionInfo } from './partitioner.ts';

/**
 * A client for the cluster in `connection` (a pipeline's `kafka:` spec, or just `{ brokers }` for
 * the embedded broker and tests). `clientId` is used when the spec names none. Creating it does not
 * connect; producers, consumers and admins connect on `connect()`.
 */
export function createKafkaClient(
  connection: KafkaConnection,
  options: { logger: Logger; clientId?: string } & Omit<KafkaClientOptions, 'logger' | 'clientId'>,
): KafkaClient {
  return new KafkajsClient(connection, options);
}
