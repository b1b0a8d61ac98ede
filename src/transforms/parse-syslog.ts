import type { TransformPlugin } from '../sdk/transform.ts';
import { parseSyslog as parseSyslogText, type SyslogFormat } from './parse/syslog.ts';
import { ParserTransform, parserConfigProperties, type ParserOptions } from './parser-transform.ts';

/**
 * Parses syslog lines, RFC 5424 and RFC 3164 (see parse/syslog.ts for the fields). RFC 3164 has no
 * year: it is taken from the injected clock, so a replay in another year reads old lines the same
 * way only if they are under a year old.
 */
export type ParseSyslogConfig = ParserOptions & {
  format?: SyslogFormat;
};

const NAME = 'parse-syslog';

export const parseSyslog: TransformPlugin<ParseSyslogConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: 'Parse syslog messages (RFC 5424 and RFC 3164) into facility, severity, timestamp, hostname, appname, procid, msgid, structuredData and message.',
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        format: { type: 'string', enum: ['auto', 'rfc5424', 'rfc3164'], default: 'auto', description: '`auto` reads RFC 5424 when the line has its version field, else RFC 3164.' },
        ...parserConfigProperties({ timestamp: true }),
      },
    },
  },
  create(ctx) {
    const format = ctx.config.format ?? 'auto';
    const clock = ctx.clock;
    return new ParserTransform(NAME, (text) => parseSyslogText(text, clock.now(), format), ctx.config);
  },
};
