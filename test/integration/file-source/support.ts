import { createKafkaClient } from '../../../src/kafka/index.ts';
import type { Consumer, KafkaClient } from '../../../src/kafka/client.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { waitFor } from '../../support/wait-for.ts';

export interface TopicRecord {
  partition: number;
  offset: bigint;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Reads a topic with read_committed from the beginning, in a group of its own, collecting every
 * record. `drain()` waits until every partition has been read up to its end offset at that moment.
 */
export class TopicReader {
  readonly records: TopicRecord[] = [];
  private readonly consumer: Consumer;
  private readonly next = new Map<number, bigint>();
  private crashed: Error | undefined;

  constructor(
    private readonly client: KafkaClient,
    private readonly topic: string,
    group: string,
  ) {
    this.consumer = client.consumer({ groupId: group, readCommitted: true, fromBeginning: true, maxWaitTimeMs: 100 });
  }

  static create(brokers: string[], topic: string, group: string): TopicReader {
    return new TopicReader(createKafkaClient({ brokers }, { logger: silentLogger, clientId: group }), topic, group);
  }

  async start(partitions: number): Promise<void> {
    const admin = this.client.admin();
    await admin.connect();
    try {
      await admin.ensureTopics([{ topic: this.topic, partitions }]);
    } finally {
      await admin.disconnect();
    }
    await this.consumer.connect();
    await this.consumer.subscribe([this.topic]);
    await this.consumer.run({
      eachBatch: async (batch) => {
        for (const m of batch.messages) {
          const headers: Record<string, string> = {};
          for (const h of m.headers) headers[h.key] = h.value === null ? '' : h.value.toString();
          this.records.push({ partition: batch.partition, offset: BigInt(m.offset), key: m.key?.toString() ?? null, value: m.value?.toString() ?? null, headers });
        }
        this.next.set(batch.partition, BigInt(batch.nextOffset));
      },
      onCrash: (err) => {
        this.crashed = err;
      },
    });
  }

  /** Reads until every partition is consumed up to the end offsets as they are now. */
  async drain(timeoutMs: number): Promise<void> {
    const admin = this.client.admin();
    await admin.connect();
    let ends: Array<{ partition: number; high: string }>;
    try {
      ends = await admin.fetchTopicOffsets(this.topic);
    } finally {
      await admin.disconnect();
    }
    await waitFor(
      'the topic to be read to its end',
      () => {
        if (this.crashed) throw this.crashed;
        return ends.every((e) => BigInt(e.high) === 0n || (this.next.get(e.partition) ?? 0n) >= BigInt(e.high));
      },
      timeoutMs,
      () => `read so far: ${JSON.stringify([...this.next].map(([p, o]) => [p, String(o)]))}, ends: ${JSON.stringify(ends)}`,
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
