import type { TestProject } from 'vitest/node';
import { startKafka } from './kafka.ts';
import { streamLogger } from './logger.ts';

/**
 * Global setup of the `integration` project: one Kafka for the whole run, handed to test files as
 * `inject('kafkaBrokers')` (typed in ./provided.d.ts). Test files share it, so each makes its own
 * topic and group names (see ./names.ts). Vitest calls the returned function after the last file.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const kafka = await startKafka({ logger: streamLogger('kafka', process.stderr) });
  project.provide('kafkaBrokers', kafka.brokers);
  return async () => {
    await kafka.stop();
  };
}
