import { TributaryError, errorMessage } from '../../sdk/errors.ts';
import type { TributaryRecord } from '../../sdk/record.ts';
import type { PredicatePlugin } from '../../sdk/transform.ts';
import { lookupPath, parseFieldPath, type FieldPath } from '../field-path.ts';
import { compileJavaPattern } from '../java-regex.ts';
import { readPart, targetConfigSchema, type Target } from '../record-part.ts';

/**
 * A condition on one field of the value (or key), the predicate Kafka Connect lacks. Exactly one test:
 * - `exists: true|false`: the field is present (a null field is present);
 * - `equals: <scalar>`: strictly equal (a bigint equals the same integer as a number; "200" is not 200);
 * - `in: [...]`: equal to one of the listed scalars;
 * - `pattern: <regex>`: the whole text matches; numbers, bigints and booleans are tested as their text,
 *   other values (null, objects) never match.
 * A record whose part is null or not an object has no fields: only `exists: false` holds for it.
 */
export type FieldMatchesConfig = {
  target?: Target;
  field: string;
  exists?: boolean;
  equals?: string | number | boolean | null;
  in?: Array<string | number | boolean | null>;
  pattern?: string;
};

const NAME = 'field-matches';
const scalar = { type: ['string', 'number', 'boolean', 'null'] };

export const fieldMatches: PredicatePlugin<FieldMatchesConfig> = {
  spec: {
    name: NAME,
    kind: 'predicate',
    summary: 'True for records whose field exists, equals a value, is one of a list, or matches a regular expression.',
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['field'],
      properties: {
        target: targetConfigSchema,
        field: { type: 'string', minLength: 1, description: 'Field to test; a dotted path reaches nested fields, e.g. `after.status`.' },
        exists: { type: 'boolean', description: 'True: holds when the field is present (even null); false: when it is absent.' },
        equals: { ...scalar, description: 'Holds when the field strictly equals this scalar.' },
        in: { type: 'array', items: scalar, minItems: 1, description: 'Holds when the field strictly equals one of these scalars.' },
        pattern: { type: 'string', minLength: 1, description: 'Regular expression the whole field text must match (Java syntax as in Connect; a leading (?i) is honoured).' },
      },
      // Each branch names its property again because ajv's strict mode wants required keys declared beside them.
      oneOf: ['exists', 'equals', 'in', 'pattern'].map((k) => ({ required: [k], properties: { [k]: true } })),
    },
  },
  create(ctx) {
    const config = ctx.config;
    const tests = ['exists', 'equals', 'in', 'pattern'].filter((k) => Object.prototype.hasOwnProperty.call(config, k));
    if (tests.length !== 1) throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: set exactly one of exists, equals, in, pattern (got ${tests.join(', ') || 'none'})`);
    let path: FieldPath;
    let full: RegExp | undefined;
    try {
      path = parseFieldPath(config.field);
      if (config.pattern !== undefined) full = compileJavaPattern(config.pattern).full;
    } catch (err) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: ${errorMessage(err)}`, { cause: err });
    }
    const target = config.target ?? 'value';
    const matches = valueTest(config, full);
    return {
      test(record: TributaryRecord): boolean {
        const found = lookupPath(readPart(record, target).data, path);
        if (config.exists !== undefined) return found.found === config.exists;
        return found.found && matches(found.value);
      },
    };
  },
};

function valueTest(config: FieldMatchesConfig, full: RegExp | undefined): (value: unknown) => boolean {
  if (full !== undefined) {
    return (v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') && full.test(String(v));
  }
  const wanted = config.in ?? [config.equals ?? null];
  return (v) => wanted.some((w) => scalarEquals(v, w));
}

function scalarEquals(v: unknown, w: string | number | boolean | null): boolean {
  if (typeof v === 'bigint' && typeof w === 'number') return Number.isInteger(w) && BigInt(w) === v;
  return v === w;
}
