import type { ConfigSchema } from '../../src/sdk/index.ts';

/** The `config` of a syslog source, as the runtime hands it over (validated, defaults applied). */
export interface SyslogSourceConfig {
  host: string;
  /** null: no TCP listener. 0: any free port (tests). */
  tcpPort: number | null;
  udpPort: number | null;
  maxMessageBytes: number;
  maxBuffered: number;
  maxPollRecords: number;
  pollIntervalMs: number;
  topic: string;
}

export const SYSLOG_DEFAULTS = {
  host: '127.0.0.1',
  tcpPort: 5514,
  udpPort: 5514,
  maxMessageBytes: 65_536,
  maxBuffered: 10_000,
  maxPollRecords: 1000,
  pollIntervalMs: 100,
  topic: '',
} as const satisfies SyslogSourceConfig;

const port = (what: string, fallback: number): ConfigSchema => ({
  type: ['integer', 'null'],
  minimum: 0,
  maximum: 65_535,
  default: fallback,
  description: `${what} port to listen on; null turns the listener off, 0 picks a free port.`,
});

export const syslogConfigSchema: ConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1, default: SYSLOG_DEFAULTS.host, description: 'Address to listen on. Loopback by default; syslog has no authentication, so think before widening it.' },
    tcpPort: port('TCP (RFC 6587: octet-counted or newline-delimited frames)', SYSLOG_DEFAULTS.tcpPort),
    udpPort: port('UDP (RFC 5426: one message per datagram)', SYSLOG_DEFAULTS.udpPort),
    maxMessageBytes: { type: 'integer', minimum: 64, default: SYSLOG_DEFAULTS.maxMessageBytes, description: 'Longest message accepted; a longer TCP frame closes its connection, a longer datagram is dropped.' },
    maxBuffered: {
      type: 'integer',
      minimum: 1,
      default: SYSLOG_DEFAULTS.maxBuffered,
      description: 'Messages held between polls. When full, TCP senders are paused (back-pressure) and UDP datagrams are dropped and counted.',
    },
    maxPollRecords: { type: 'integer', minimum: 1, default: SYSLOG_DEFAULTS.maxPollRecords, description: 'Most messages returned by one poll (one source batch).' },
    pollIntervalMs: { type: 'integer', minimum: 1, default: SYSLOG_DEFAULTS.pollIntervalMs, description: 'How long an idle poll waits for a message before returning empty.' },
    topic: { type: 'string', default: SYSLOG_DEFAULTS.topic, description: "Destination topic. Empty: the pipeline's topic.name." },
  },
};
