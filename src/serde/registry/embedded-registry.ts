import type { Logger } from '../../sdk/logger.ts';
import { RegistryHttpServer } from './http-server.ts';
import { RegistryService } from './registry-service.ts';
import type { SchemaLog } from './schema-log.ts';

export interface EmbeddedSchemaRegistryOptions {
  /** Where the state lives: a KafkaSchemaLog in a pipeline, a MemorySchemaLog in tests and benchmarks. */
  log: SchemaLog;
  logger: Logger;
  /** 0 (default): any free port. */
  port?: number;
}

/**
 * A Confluent-compatible schema registry inside Tributary: the REST subset clients use, served on
 * 127.0.0.1, its state in a log (a compacted Kafka topic when the runtime starts it), so a restarted
 * registry, or one in another process on the same cluster, serves the same subjects and ids.
 *
 * Writers: every instance can register, but concurrent writers in several processes race (see
 * schema-state.ts for how races resolve). The intended shape is one writing process per cluster (the
 * one running sources) and any number of readers (sink processes, external tools).
 */
export class EmbeddedSchemaRegistry {
  private constructor(
    readonly url: string,
    private readonly service: RegistryService,
    private readonly server: RegistryHttpServer,
    private readonly logger: Logger,
  ) {}

  static async start(o: EmbeddedSchemaRegistryOptions): Promise<EmbeddedSchemaRegistry> {
    const service = new RegistryService(o.log, o.logger);
    await service.start();
    const server = new RegistryHttpServer(service, o.logger);
    let url: string;
    try {
      url = await server.start(o.port ?? 0);
    } catch (err) {
      await service.stop();
      throw err;
    }
    o.logger.info({ url }, 'embedded schema registry listening');
    return new EmbeddedSchemaRegistry(url, service, server, o.logger);
  }

  /** Safe to call twice. */
  async stop(): Promise<void> {
    await this.server.stop();
    await this.service.stop();
    this.logger.debug({ url: this.url }, 'embedded schema registry stopped');
  }
}
