import { describe, expect, it } from 'vitest';
import type { KafkaClient, ProduceRecord } from '../../src/kafka/client.ts';
import type { DeadLetterReporter } from '../../src/runtime/dead-letter.ts';
import type { RecordCodec } from '../../src/runtime/record-codec.ts';
import { lastOffsets, type OffsetEntry, type SourceOffsetStore } from '../../src/runtime/source-offsets.ts';
import { SourceWorker, chunksOf } from '../../src/runtime/source-worker.ts';
import type { TopicEnsurer } from '../../src/runtime/topic-ensurer.ts';
import { silentLogger, systemClock, type SourceRecord, type SourceTask } from '../../src/sdk/index.ts';

const rec = (bytes: number): ProduceRecord => ({ topic: 't', key: null, value: Buffer.alloc(bytes) });

// Regression: one large poll batch (5000 binlog rows) became one produce request over the
// broker's 1 MiB message.max.bytes and stopped the pipeline.
describe('chunksOf (splitting a delivery into produce requests)', () => {
  it('keeps every chunk within the byte budget and every record, in order', () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({ ...rec(400), timestamp: i }));
    const chunks = chunksOf(records, 512 * 1024);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.reduce((n, r) => n + (r.value?.length ?? 0) + 64, 0)).toBeLessThanOrEqual(512 * 1024);
    expect(chunks.flat().map((r) => r.timestamp)).toEqual(records.map((r) => r.timestamp));
  });

  it('sends a record larger than the budget on its own', () => {
    const chunks = chunksOf([rec(10), rec(2000), rec(10)], 1000);
    expect(chunks.map((c) => c.length)).toEqual([1, 1, 1]);
  });

  it('makes no chunk for no records', () => {
    expect(chunksOf([], 1000)).toEqual([]);
  });
});

/** Resolves or rejects from outside. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('SourceWorker pipelining', () => {
  /**
   * A worker around fakes: each poll returns the next of `batches`, then polls wait until aborted
   * (a source with nothing more, before its poll timeout). Each transaction's commit waits for the
   * gate of its number, when one is given.
   */
  function harness(batches: SourceRecord[][], gates: Map<number, Promise<void>>) {
    const sent: string[][] = [];
    const events: string[] = [];
    const positions: OffsetEntry[][] = [];
    let transactions = 0;
    const producer = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      transaction: async () => {
        const n = ++transactions;
        const records: string[] = [];
        return {
          send: async (rs: ProduceRecord[]) => {
            for (const r of rs) if (r.topic !== 'offsets') records.push(String(r.value));
            return rs.map((r) => ({ topic: r.topic, partition: 0, baseOffset: '0' }));
          },
          sendOffsets: async () => undefined,
          commit: async () => {
            await gates.get(n);
            sent.push(records);
            events.push(`commit ${n}`);
          },
          abort: async () => undefined,
        };
      },
    };
    let polls = 0;
    const task: SourceTask = {
      start: async () => undefined,
      stop: async () => undefined,
      poll: async (signal) => {
        const batch = batches[polls++];
        if (batch !== undefined) return batch;
        events.push('idle poll');
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        return [];
      },
    };
    const worker = new SourceWorker({
      pipeline: 'p',
      task,
      transforms: { apply: (r) => r },
      codec: { encode: async (r: SourceRecord) => ({ topic: r.topic, key: null, value: Buffer.from(String(r.value)) }) } as unknown as RecordCodec,
      client: { producer: () => producer } as unknown as KafkaClient,
      offsets: {
        topic: 'offsets',
        load: async () => undefined,
        toRecords: (entries: OffsetEntry[]) => {
          positions.push(entries);
          return [{ topic: 'offsets', key: null, value: Buffer.from('position') }];
        },
        remember: () => undefined,
        committed: () => false,
      } as unknown as SourceOffsetStore,
      deadLetters: { report: async () => undefined, close: async () => undefined } as unknown as DeadLetterReporter,
      topics: { ensure: async () => undefined } as unknown as TopicEnsurer,
      defaultTopic: 't',
      delivery: 'exactly-once',
      taskId: 0,
      maxBatchBytes: 1024 * 1024,
      retry: { timeoutMs: 1000, initialDelayMs: 1, maxDelayMs: 1 },
      logger: silentLogger,
      clock: systemClock,
    });
    return { worker, sent, events, positions };
  }

  const row = (value: string): SourceRecord => ({ topic: 't', key: null, value, headers: [], sourcePartition: { s: 1 }, sourceOffset: { at: value } });

  it('sends what was prepared during a delivery as soon as it completes, not when the next poll returns', async () => {
    const first = deferred();
    const { worker, sent, events } = harness([[row('a1'), row('a2')], [row('b1')], [row('c1'), row('c2')]], new Map([[1, first.promise]]));
    const stop = new AbortController();
    const running = worker.run(stop.signal);
    // The first delivery is held; the two batches polled meanwhile wait for it, then the source idles.
    while (!events.includes('idle poll')) await new Promise((r) => setTimeout(r, 1));
    expect(sent).toEqual([]);
    first.resolve();
    while (sent.length < 2) await new Promise((r) => setTimeout(r, 1));
    // Both waiting batches share the second delivery, whole, while the poll is still pending.
    expect(sent).toEqual([['a1', 'a2'], ['b1', 'c1', 'c2']]);
    expect(events).toEqual(['idle poll', 'commit 1', 'commit 2']);
    stop.abort();
    await running;
    expect(worker.progress.produced).toBe(5);
  });

  it('delivers everything polled before run() returns', async () => {
    const first = deferred();
    const { worker, sent } = harness([[row('a1')], [row('b1')], [row('c1')]], new Map([[1, first.promise]]));
    const stop = new AbortController();
    const running = worker.run(stop.signal);
    while (worker.progress.polled < 3) await new Promise((r) => setTimeout(r, 1));
    stop.abort();
    first.resolve();
    await running;
    expect(sent.flat()).toEqual(['a1', 'b1', 'c1']);
  });

  it('commits the last position of each source partition among the records of a delivery, in first-seen order', async () => {
    const at = (partition: { s: number }, offset: number): SourceRecord => ({ topic: 't', key: null, value: `${partition.s}@${offset}`, headers: [], sourcePartition: partition, sourceOffset: { offset } });
    const one = { s: 1 };
    const two = { s: 2 };
    // A separate object equal to `one`: the same source partition.
    const oneAgain = { s: 1 };
    const batch = [at(one, 1), at(one, 2), at(two, 1), at(one, 3), at(oneAgain, 4), at(two, 2), at(two, 3)];
    const { worker, positions } = harness([batch], new Map());
    const stop = new AbortController();
    const running = worker.run(stop.signal);
    while (positions.length < 1) await new Promise((r) => setTimeout(r, 1));
    stop.abort();
    await running;
    expect(positions).toEqual([lastOffsets(batch)]);
    expect(positions[0]?.map((e) => e.sourceOffset)).toEqual([{ offset: 4 }, { offset: 3 }]);
  });
});
