import type { TransformPlugin } from '../sdk/transform.ts';
import type { CastType } from './cast.ts';
import { parseLogfmt as parseLogfmtText } from './parse/logfmt.ts';
import { ParserTransform, convertTypes, parserConfigProperties, typesConfigSchema, type ParserOptions } from './parser-transform.ts';

/** Parses logfmt text (`level=info msg="user signed in" took=12ms`) into text fields; `types` converts them. */
export type ParseLogfmtConfig = ParserOptions & {
  types?: Record<string, CastType>;
};

const NAME = 'parse-logfmt';

export const parseLogfmt: TransformPlugin<ParseLogfmtConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: 'Parse logfmt key=value text into fields. On failure keep the record and name the error in a header, or fail it.',
    version: '1.0.0',
    config: { type: 'object', additionalProperties: false, properties: { types: typesConfigSchema, ...parserConfigProperties({ timestamp: false }) } },
  },
  create(ctx) {
    const types = ctx.config.types ?? {};
    return new ParserTransform(
      NAME,
      (text) => {
        const fields = parseLogfmtText(text);
        convertTypes(fields, types);
        return { fields };
      },
      ctx.config,
    );
  },
};
