import type { SinkPlugin } from '../../src/sdk/index.ts';
import { postgresSinkConfigSchema, type PostgresSinkConfig } from './config.ts';
import { PostgresSinkTask } from './sink.ts';

export type { PostgresSinkConfig } from './config.ts';
export { PostgresSinkTask } from './sink.ts';
export { mapRecords, type MappingOptions } from './record-mapper.ts';

export const postgresSink: SinkPlugin<PostgresSinkConfig> = {
  spec: {
    name: 'postgres',
    kind: 'sink',
    summary: 'Writes rows to PostgreSQL (insert or upsert, deletes; plain rows, Debezium envelopes, Canal messages), storing consumed offsets in the same transaction: exactly once.',
    version: '1.0.0',
    config: postgresSinkConfigSchema,
    delivery: 'transactional',
  },
  createTask: (ctx) => new PostgresSinkTask(ctx),
};

export const plugins = [postgresSink];
