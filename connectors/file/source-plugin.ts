import type { SourcePlugin } from '../../src/sdk/index.ts';
import { fileSourceConfigSchema, type FileSourceConfig } from './source-config.ts';
import { FileSourceTask } from './source.ts';

export type { FileSourceConfig } from './source-config.ts';
export { FileSourceTask, PATH_HEADER, TRUNCATED_HEADER } from './source.ts';

/** The `file` source; the sink of the same name lives beside it (registry names are per kind). */
export const fileSource: SourcePlugin<FileSourceConfig> = {
  spec: {
    name: 'file',
    kind: 'source',
    summary: 'Tails files by glob, one record per line (or multiline event); follows rename and copytruncate rotation by content fingerprint and resumes exactly after the last committed line.',
    version: '1.0.0',
    config: fileSourceConfigSchema,
  },
  createTask: (ctx) => new FileSourceTask(ctx),
};
