import { Kafka, logLevel } from 'kafkajs';
import type { Clock } from '../../../src/sdk/clock.ts';
import { errorMessage } from '../../../src/sdk/errors.ts';

export interface WaitUntilServingOptions {
  timeoutMs: number;
  clock: Clock;
  /**
   * Settles when the broker process is gone (resolving with how it ended), so a broker that dies
   * during start-up fails the wait at once instead of after the whole timeout.
   */
  exited?: Promise<string>;
}

/**
 * Resolves once a Kafka client can really use the cluster: it connects, gets metadata naming at least
 * one broker, and lists topics. A listening port alone is not enough: a KRaft broker accepts
 * connections before its controller has registered it, and then answers metadata with no brokers.
 * Rejects with the last client error (or the process's exit) when `timeoutMs` runs out.
 */
export async function waitUntilServing(brokers: string[], options: WaitUntilServingOptions): Promise<void> {
  const { clock } = options;
  const deadline = clock.now() + options.timeoutMs;
  let exitedHow: string | undefined;
  void options.exited?.then((how) => {
    exitedHow = how;
  });
  let lastError = 'no attempt made';
  while (true) {
    if (exitedHow !== undefined) throw new Error(`the broker process exited (${exitedHow}) before serving`);
    const remaining = deadline - clock.now();
    if (remaining <= 0) throw new Error(`not serving after ${options.timeoutMs} ms; last client error: ${lastError}`);
    try {
      await probe(brokers, Math.min(remaining, 5_000));
      return;
    } catch (err) {
      lastError = errorMessage(err);
    }
    await clock.sleep(250);
  }
}

async function probe(brokers: string[], timeoutMs: number): Promise<void> {
  const kafka = new Kafka({
    clientId: 'tributary-harness-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 2_000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('metadata names no brokers yet');
    await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
