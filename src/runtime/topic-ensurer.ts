import type { KafkaClient } from '../kafka/client.ts';
import type { Logger } from '../sdk/logger.ts';

/**
 * Creates topics the first time the runtime writes to them, with the pipeline's partition count,
 * so a regex-router sending records to new topics works without manual setup.
 */
export class TopicEnsurer {
  private readonly known = new Set<string>();

  constructor(
    private readonly client: KafkaClient,
    private readonly defaults: { partitions: number; replicationFactor: number; configs: Record<string, string> },
    private readonly logger: Logger,
  ) {}

  async ensure(topics: Iterable<string>, overrides: Record<string, { partitions?: number; configs?: Record<string, string> }> = {}): Promise<void> {
    const missing = [...new Set(topics)].filter((t) => !this.known.has(t));
    if (missing.length === 0) return;
    const admin = this.client.admin();
    await admin.connect();
    try {
      const results = await admin.ensureTopics(
        missing.map((topic) => ({
          topic,
          partitions: overrides[topic]?.partitions ?? this.defaults.partitions,
          replicationFactor: this.defaults.replicationFactor,
          configs: overrides[topic]?.configs ?? this.defaults.configs,
        })),
      );
      for (const r of results) {
        if (r.outcome === 'created') this.logger.info({ topic: r.topic, partitions: r.partitions }, 'topic created');
        this.known.add(r.topic);
      }
    } finally {
      await admin.disconnect();
    }
  }
}
