import type { KafkaClient } from '../../kafka/client.ts';
import type { Clock } from '../../sdk/clock.ts';
import type { Logger } from '../../sdk/logger.ts';
import type { SerdeServices } from '../../sdk/serde.ts';
import { EmbeddedSchemaRegistry } from './embedded-registry.ts';
import { KafkaSchemaLog } from './kafka-schema-log.ts';

/**
 * A pipeline's embedded schema registry, started by the first serde that asks for it (through
 * {@link services}) and kept in the pipeline's own cluster; pipelines that never ask start nothing.
 * The runtime owns one per pipeline and stops it after the pipeline's workers.
 */
export class PipelineSchemaRegistry {
  private started: Promise<EmbeddedSchemaRegistry> | undefined;

  readonly services: SerdeServices = {
    embeddedSchemaRegistry: (options) => this.url(options?.port ?? 0),
  };

  constructor(private readonly o: { client: KafkaClient; logger: Logger; clock: Clock }) {}

  private async url(port: number): Promise<string> {
    if (this.started === undefined) {
      const { client, clock } = this.o;
      const logger = this.o.logger.child({ component: 'schema-registry' });
      const starting = EmbeddedSchemaRegistry.start({ log: new KafkaSchemaLog({ client, logger, clock }), logger, port });
      this.started = starting;
      // A failed start is not cached: the next record's serde tries again.
      starting.catch(() => {
        if (this.started === starting) this.started = undefined;
      });
    }
    return (await this.started).url;
  }

  /** Safe to call twice, and when nothing was started. */
  async stop(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    const registry = await started?.catch(() => undefined);
    await registry?.stop();
  }
}
