/**
 * Values the integration project's global setup provides to test files through `inject()`.
 * Other harness setups add their own keys in their own declaration files; interfaces merge.
 */
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap addresses of the Kafka started (or named by KAFKA_BROKERS) for this run. */
    kafkaBrokers: string[];
  }
}
