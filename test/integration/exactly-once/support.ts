import { randomUUID } from 'node:crypto';
import type { ConsumedMessage, KafkaClient } from '../../../src/kafka/index.ts';
import { sigkill, type CliProcess } from '../../support/cli-process.ts';
import { waitFor } from '../../support/wait-for.ts';

// The shared process helpers, re-exported for the tests that take them from here.
export { runCli, sigkill, startCli, type CliProcess } from '../../support/cli-process.ts';
export { waitFor } from '../../support/wait-for.ts';

export interface ReadMessage extends ConsumedMessage {
  topic: string;
  partition: number;
}

/**
 * Every record of `topic` up to its end offsets as of now, read with a throwaway group (nothing
 * committed). read_committed by default: the end is then the last stable offset, so records of
 * open or aborted transactions are neither awaited nor returned.
 */
export async function readTopic(client: KafkaClient, topic: string, options: { readCommitted?: boolean; timeoutMs?: number } = {}): Promise<ReadMessage[]> {
  const admin = client.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
  const out: ReadMessage[] = [];
  if (pending.size === 0) return out;
  const consumer = client.consumer({ groupId: `read-${randomUUID()}`, readCommitted: options.readCommitted ?? true, fromBeginning: true });
  await consumer.connect();
  try {
    await consumer.subscribe([topic]);
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic}: partitions ${[...pending].join(', ')} did not reach their end offsets in time`)), options.timeoutMs ?? 60_000);
      void consumer.run({
        eachBatch: async (batch) => {
          const end = ends.get(batch.partition) ?? 0n;
          for (const m of batch.messages) if (BigInt(m.offset) < end) out.push({ ...m, topic: batch.topic, partition: batch.partition });
          if (BigInt(batch.nextOffset) >= end) pending.delete(batch.partition);
          if (pending.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
        onCrash: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** An integer from the environment, or the default. */
export function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not "${raw}"`);
  return n;
}

export interface CrashLoopOptions {
  /** How many times to SIGKILL the process. */
  kills: number;
  /** Starts the process under test (a fresh one each time). */
  start: () => CliProcess;
  /** A number that grows while the process does useful work (lines written, records produced). */
  progress: () => Promise<number>;
  /** Most milliseconds to wait, at random, between seeing progress and the kill. */
  maxDelayMs: number;
  /** How long one restart may take to show progress (a SIGKILLed member holds its partitions until its session times out). */
  progressTimeoutMs: number;
}

/**
 * Starts the process, waits until it makes progress, SIGKILLs it at a random moment soon after,
 * and again, `kills` times. Every kill therefore lands mid-stream, while the process is writing.
 * Returns a line per kill, for failure messages.
 */
export async function crashLoop(o: CrashLoopOptions): Promise<string[]> {
  const log: string[] = [];
  for (let i = 0; i < o.kills; i++) {
    const before = await o.progress();
    const started = Date.now();
    const p = o.start();
    let finished = false;
    void p.exited.then(() => {
      finished = true;
    });
    await waitFor(
      `progress after start ${i + 1} (was ${before})`,
      async () => finished || (await o.progress()) > before,
      o.progressTimeoutMs,
      () => `${log.join('\n')}\n--- process ${i + 1}\n${p.tail()}`,
    );
    if (finished) throw new Error(`the process exited on its own before kill ${i + 1} of ${o.kills}\n${p.tail()}`);
    const delay = Math.floor(Math.random() * o.maxDelayMs);
    await new Promise((r) => setTimeout(r, delay));
    await sigkill(p);
    log.push(`kill ${i + 1}: ${Date.now() - started} ms after start, ${delay} ms after progress past ${before}; progress now ${await o.progress()}`);
  }
  return log;
}
