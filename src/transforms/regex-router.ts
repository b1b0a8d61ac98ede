import { TributaryError, errorMessage } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { JavaReplacement, compileJavaPattern, type JavaPattern } from './java-regex.ts';

/**
 * Kafka Connect's RegexRouter: when the whole topic name matches `regex`, the topic becomes
 * `replaceFirst(regex, replacement)`, with Java's `$1`/`${name}` group references. Topics that do
 * not match are left alone. Only the topic changes; key, value, schemas and headers are untouched.
 */
export type RegexRouterConfig = {
  regex: string;
  replacement: string;
};

const NAME = 'regex-router';

export const regexRouter: TransformPlugin<RegexRouterConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Rename the record's topic with a regular expression and replacement (Kafka Connect's RegexRouter).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['regex', 'replacement'],
      properties: {
        regex: {
          type: 'string',
          minLength: 1,
          description: 'Regular expression the whole topic name must match, e.g. `cdc\\.(.*)`. Java syntax as in Connect; a leading (?i) is honoured.',
        },
        replacement: {
          type: 'string',
          description: 'New topic name; `$1` or `${name}` insert captured groups, `\\$` is a literal $.',
        },
      },
    },
  },
  create(ctx) {
    return new RegexRouter(ctx.config);
  },
};

class RegexRouter implements Transform {
  private readonly pattern: JavaPattern;
  private readonly replacement: JavaReplacement;

  constructor(config: RegexRouterConfig) {
    try {
      this.pattern = compileJavaPattern(config.regex);
      this.replacement = new JavaReplacement(config.replacement, this.pattern);
    } catch (err) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: ${errorMessage(err)}`, { cause: err });
    }
  }

  apply<R extends TributaryRecord>(record: R): R {
    if (typeof record.topic !== 'string') {
      throw new TributaryError('TRANSFORM_FAILED', `routing by topic: record topic is ${typeof record.topic}, expected a string`, { details: { transform: NAME } });
    }
    if (!this.pattern.full.test(record.topic)) return record;
    const topic = this.replacement.replaceFirst(record.topic, this.pattern.find);
    if (topic === '') {
      throw new TributaryError('TRANSFORM_FAILED', `routing topic "${record.topic}": the replacement produced an empty topic name`, { details: { transform: NAME } });
    }
    return topic === record.topic ? record : { ...record, topic };
  }
}
