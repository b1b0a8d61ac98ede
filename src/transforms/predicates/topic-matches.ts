import { TributaryError, errorMessage } from '../../sdk/errors.ts';
import type { PredicatePlugin } from '../../sdk/transform.ts';
import { compileJavaPattern } from '../java-regex.ts';

/** Kafka Connect's TopicNameMatches: true when the whole topic name matches `pattern`. */
export type TopicMatchesConfig = {
  pattern: string;
};

const NAME = 'topic-matches';

export const topicMatches: PredicatePlugin<TopicMatchesConfig> = {
  spec: {
    name: NAME,
    kind: 'predicate',
    summary: "True for records whose topic name matches a regular expression (Kafka Connect's TopicNameMatches).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['pattern'],
      properties: {
        pattern: {
          type: 'string',
          minLength: 1,
          description: 'Regular expression the whole topic name must match, e.g. `orders\\..*`. Java syntax as in Connect; a leading (?i) is honoured.',
        },
      },
    },
  },
  create(ctx) {
    let full: RegExp;
    try {
      full = compileJavaPattern(ctx.config.pattern).full;
    } catch (err) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: pattern ${errorMessage(err)}`, { cause: err });
    }
    return { test: (record) => typeof record.topic === 'string' && full.test(record.topic) };
  },
};
