import type { SourcePlugin } from '../../src/sdk/index.ts';
import { datagenConfigSchema, type DatagenConfig } from './config.ts';
import { DatagenSourceTask } from './source.ts';

export type { DatagenConfig, DatagenKind } from './config.ts';
export { DatagenSourceTask } from './source.ts';

export const datagenSource: SourcePlugin<DatagenConfig> = {
  spec: {
    name: 'datagen',
    kind: 'source',
    summary: 'Deterministic generated records (users, orders) from a seed, optionally rate-limited; resumes exactly after the last committed record.',
    version: '1.0.0',
    config: datagenConfigSchema,
  },
  createTask: (ctx) => new DatagenSourceTask(ctx),
};

export const plugins = [datagenSource];
