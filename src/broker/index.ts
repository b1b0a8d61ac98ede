/** The embedded Kafka-compatible broker: start one in-process with {@link EmbeddedBroker.start}. */
export { EmbeddedBroker } from './broker.ts';
export type { EmbeddedBrokerOptions, FsyncPolicy } from './config.ts';
