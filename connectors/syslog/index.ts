import type { SourcePlugin } from '../../src/sdk/index.ts';
import { syslogConfigSchema, type SyslogSourceConfig } from './config.ts';
import { SyslogSourceTask } from './source.ts';

export type { SyslogSourceConfig } from './config.ts';
export { PEER_HEADER, SyslogSourceTask, TRANSPORT_HEADER } from './source.ts';

export const syslogSource: SourcePlugin<SyslogSourceConfig> = {
  spec: {
    name: 'syslog',
    kind: 'source',
    summary: 'Receives syslog messages over TCP (RFC 6587 framing) and UDP on a local address; one record per message, text as sent (parse with parse-syslog).',
    version: '1.0.0',
    config: syslogConfigSchema,
  },
  createTask: (ctx) => new SyslogSourceTask(ctx),
};

export const plugins = [syslogSource];
