import type { SinkPlugin } from '../../src/sdk/index.ts';
import { kafkaSinkConfigSchema, type KafkaSinkConfig } from './config.ts';
import { KafkaSinkTask } from './sink.ts';

export type { KafkaSinkConfig } from './config.ts';
export { KafkaSinkTask } from './sink.ts';
export { RecordEncoder, type OutputRecord } from './record-encoder.ts';
export { transactionalId } from './transactional-id.ts';

export const kafkaSink: SinkPlugin<KafkaSinkConfig> = {
  spec: {
    name: 'kafka',
    kind: 'sink',
    summary: 'Writes records to another topic (re-keyed, filtered, renamed) exactly once: output and consumed offsets in one Kafka transaction.',
    version: '1.0.0',
    config: kafkaSinkConfigSchema,
    // Output and consumer position commit in one Kafka transaction (sendOffsets).
    delivery: 'transactional',
  },
  createTask: (ctx) => new KafkaSinkTask(ctx),
};

export const plugins = [kafkaSink];
