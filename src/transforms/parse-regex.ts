import { TributaryError, errorMessage } from '../sdk/errors.ts';
import type { TransformPlugin } from '../sdk/transform.ts';
import type { CastType } from './cast.ts';
import { compileJavaPattern } from './java-regex.ts';
import { ParseError, ParserTransform, convertTypes, parserConfigProperties, typesConfigSchema, type ParserOptions } from './parser-transform.ts';

/**
 * Parses text with a regular expression whose named groups become fields:
 * `^(?<level>\w+) (?<msg>.*)$`. The first match counts (anchor with ^ and $ to require the whole
 * text); groups that took no part in the match are left out. `types` converts group text.
 */
export type ParseRegexConfig = ParserOptions & {
  pattern: string;
  types?: Record<string, CastType>;
};

const NAME = 'parse-regex';

export const parseRegex: TransformPlugin<ParseRegexConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: 'Parse text with a regular expression; named groups become fields. On failure keep the record and name the error in a header, or fail it.',
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['pattern'],
      properties: {
        pattern: { type: 'string', minLength: 1, description: 'Regular expression with named groups, e.g. `^(?<level>[A-Z]+) (?<msg>.*)$`.' },
        types: typesConfigSchema,
        ...parserConfigProperties({ timestamp: false }),
      },
    },
  },
  create(ctx) {
    const config = ctx.config;
    let find: RegExp;
    try {
      const compiled = compileJavaPattern(config.pattern);
      if (compiled.groupNames.size === 0) throw new Error(`${JSON.stringify(config.pattern)} has no named groups (write (?<name>...))`);
      find = compiled.find;
    } catch (err) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: pattern ${errorMessage(err)}`, { cause: err });
    }
    const types = config.types ?? {};
    return new ParserTransform(
      NAME,
      (text) => {
        const m = find.exec(text);
        if (m === null) throw new ParseError(`the text does not match ${find.source}`);
        const fields: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(m.groups ?? {})) if (value !== undefined) fields[name] = value;
        convertTypes(fields, types);
        return { fields };
      },
      config,
    );
  },
};
