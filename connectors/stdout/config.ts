import type { ConfigSchema } from '../../src/sdk/index.ts';
import type { LineFormat } from '../../src/sdk/index.ts';

/** The `config` of a stdout sink, as the runtime hands it over (validated, defaults applied). */
export interface StdoutSinkConfig {
  format: LineFormat;
}

export const STDOUT_SINK_DEFAULTS = {
  format: 'envelope',
} as const satisfies StdoutSinkConfig;

export const stdoutSinkConfigSchema: ConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: {
      type: 'string',
      enum: ['envelope', 'value'],
      description: '`envelope`: each line is {topic, partition, offset, key, value, headers?, timestamp}. `value`: each line is the record value alone.',
      default: STDOUT_SINK_DEFAULTS.format,
    },
  },
};

export function resolveStdoutSinkConfig(config: Partial<StdoutSinkConfig>): StdoutSinkConfig {
  return { format: config.format ?? STDOUT_SINK_DEFAULTS.format };
}
