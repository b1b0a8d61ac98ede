import type { SinkPlugin } from '../../src/sdk/index.ts';
import { fileSinkConfigSchema, type FileSinkConfig } from './config.ts';
import { FileSinkTask } from './sink.ts';
import { fileSource } from './source-plugin.ts';

export type { FileSinkConfig } from './config.ts';
export { FileSinkTask, type FileSinkOptions } from './sink.ts';
export { manifestName, readManifest, type Manifest } from './manifest.ts';

export const fileSink: SinkPlugin<FileSinkConfig> = {
  spec: {
    name: 'file',
    kind: 'sink',
    summary: 'Appends records as JSON lines to one file per topic-partition; exactly once through an atomically replaced manifest of lengths and offsets.',
    version: '1.0.0',
    config: fileSinkConfigSchema,
    // Each batch's lines and its consumer position are committed together by one manifest rename.
    delivery: 'transactional',
  },
  createTask: (ctx) => new FileSinkTask(ctx),
};

export const plugins = [fileSink, fileSource];
