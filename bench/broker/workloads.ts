/**
 * The timed runs. Throughput runs send acks=all produce requests of about `batchBytes` each with
 * `inFlight` of them outstanding, then read the records back in a fresh consumer group; the latency
 * run sends one record per request and waits for each acknowledgement before the next.
 */
import { randomBytes } from 'node:crypto';
import type { BenchClient } from './clients.ts';

export interface Throughput {
  records: number;
  bytes: number;
  seconds: number;
}

export interface Latency {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Prints a progress line at most every `everyMs`, so a long run shows it is moving. */
export interface Progress {
  tick(done: number, total: number): void;
}

export function progressPrinter(label: string, everyMs: number, print: (line: string) => void, now: () => number = Date.now): Progress {
  const start = now();
  let last = start;
  return {
    tick(done, total) {
      const t = now();
      if (t - last < everyMs && done < total) return;
      last = t;
      const rate = done / Math.max((t - start) / 1000, 1e-3);
      print(`${label}: ${done}/${total} records (${Math.round(rate)} rec/s)`);
    },
  };
}

/** Record values of one size; random, so no layer can get away with less than the full bytes. */
export function payload(size: number): Buffer {
  return randomBytes(size);
}

export async function produceThroughput(
  client: BenchClient,
  topic: string,
  o: { count: number; size: number; batchBytes: number; inFlight: number; progress: Progress },
): Promise<Throughput> {
  const value = payload(o.size);
  const perRequest = Math.max(1, Math.floor(o.batchBytes / o.size));
  let sent = 0;
  let acked = 0;
  const started = process.hrtime.bigint();
  const lane = async (): Promise<void> => {
    while (sent < o.count) {
      const n = Math.min(perRequest, o.count - sent);
      sent += n;
      await client.sendBatch(topic, new Array<Buffer>(n).fill(value));
      acked += n;
      o.progress.tick(acked, o.count);
    }
  };
  await Promise.all(Array.from({ length: o.inFlight }, lane));
  return { records: o.count, bytes: o.count * o.size, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * Times from the first delivered record to the last, so the consumer group's join (a fixed cost,
 * different per client) does not dilute the read rate.
 */
export async function consumeThroughput(client: BenchClient, topic: string, o: { count: number; size: number; progress: Progress }): Promise<Throughput> {
  let first: bigint | null = null;
  let last = 0n;
  let seen = 0;
  await client.consume(topic, o.count, (n) => {
    last = process.hrtime.bigint();
    first ??= last;
    seen += n;
    o.progress.tick(Math.min(seen, o.count), o.count);
  });
  const seconds = first === null ? 0 : Number(last - first) / 1e9;
  return { records: o.count, bytes: o.count * o.size, seconds };
}

/** Milliseconds from send to acknowledgement, one per record. */
export async function produceLatency(client: BenchClient, topic: string, o: { count: number; size: number; progress: Progress }): Promise<number[]> {
  const value = payload(o.size);
  const samples: number[] = [];
  for (let i = 0; i < o.count; i++) {
    const t0 = process.hrtime.bigint();
    await client.sendOne(topic, value);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    o.progress.tick(i + 1, o.count);
  }
  return samples;
}

export function summarize(samplesMs: number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  // Nearest-rank percentile: the smallest sample with at least p% of samples at or below it.
  const pct = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  const total = sorted.reduce((a, b) => a + b, 0);
  return { count: sorted.length, p50Ms: pct(50), p99Ms: pct(99), maxMs: sorted[sorted.length - 1] ?? Number.NaN, meanMs: total / Math.max(sorted.length, 1) };
}
