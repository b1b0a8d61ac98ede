import type { ConfigSchema } from '../../src/sdk/index.ts';
import type { LineFormat } from '../../src/sdk/index.ts';

/** The `config` of a file sink, as the runtime hands it over (validated, defaults applied). */
export interface FileSinkConfig {
  directory: string;
  format: LineFormat;
  fsync: boolean;
}

export const FILE_SINK_DEFAULTS = {
  directory: 'out',
  format: 'envelope',
  fsync: true,
} as const satisfies FileSinkConfig;

export const fileSinkConfigSchema: ConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    directory: {
      type: 'string',
      minLength: 1,
      description: 'Folder for the output files, one `<topic>-<partition>.jsonl` per topic-partition; created if missing. Relative paths resolve against the working directory.',
      default: FILE_SINK_DEFAULTS.directory,
    },
    format: {
      type: 'string',
      enum: ['envelope', 'value'],
      description: '`envelope`: each line is {topic, partition, offset, key, value, headers?, timestamp}. `value`: each line is the record value alone.',
      default: FILE_SINK_DEFAULTS.format,
    },
    fsync: {
      type: 'boolean',
      description: 'fsync each file a batch touched, its manifest and the directory before the batch counts as written. false keeps exactly-once across process crashes (SIGKILL) but not across an OS crash or power loss, which can lose acknowledged lines; it trades that for throughput.',
      default: FILE_SINK_DEFAULTS.fsync,
    },
  },
};

/** Fills anything the caller left out; the runtime normally did this already via the schema. */
export function resolveFileSinkConfig(config: Partial<FileSinkConfig>): FileSinkConfig {
  return {
    directory: config.directory ?? FILE_SINK_DEFAULTS.directory,
    format: config.format ?? FILE_SINK_DEFAULTS.format,
    fsync: config.fsync ?? FILE_SINK_DEFAULTS.fsync,
  };
}
