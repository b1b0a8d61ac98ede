import type { TransformPlugin } from '../sdk/transform.ts';
import { parseCombinedLog } from './parse/combined-log.ts';
import { ParserTransform, parserConfigProperties, type ParserOptions } from './parser-transform.ts';

/** Parses nginx/Apache access log lines in the common or combined format (see parse/combined-log.ts). */
export type ParseNginxConfig = ParserOptions;

const NAME = 'parse-nginx';

export const parseNginx: TransformPlugin<ParseNginxConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: 'Parse nginx/Apache access log lines (common and combined log format) into remote_addr, time, method, path, status, body_bytes_sent, referer and user agent.',
    version: '1.0.0',
    config: { type: 'object', additionalProperties: false, properties: parserConfigProperties({ timestamp: true }) },
  },
  create(ctx) {
    return new ParserTransform(NAME, parseCombinedLog, ctx.config);
  },
};
