import type { PredicatePlugin, TransformPlugin } from '../sdk/transform.ts';
import { cast } from './cast.ts';
import { dropHeaders } from './drop-headers.ts';
import { extractField } from './extract-field.ts';
import { filter } from './filter.ts';
import { flatten } from './flatten.ts';
import { headerFrom } from './header-from.ts';
import { hoistField } from './hoist-field.ts';
import { insertField } from './insert-field.ts';
import { insertHeader } from './insert-header.ts';
import { maskField } from './mask-field.ts';
import { parseJson } from './parse-json.ts';
import { parseLogfmt } from './parse-logfmt.ts';
import { parseNginx } from './parse-nginx.ts';
import { parseRegex } from './parse-regex.ts';
import { parseSyslog } from './parse-syslog.ts';
import { fieldMatches } from './predicates/field-matches.ts';
import { hasHeader } from './predicates/has-header.ts';
import { isTombstone } from './predicates/is-tombstone.ts';
import { topicMatches } from './predicates/topic-matches.ts';
import { regexRouter } from './regex-router.ts';
import { replaceField } from './replace-field.ts';
import { timestampConverter } from './timestamp-converter.ts';
import { timestampRouter } from './timestamp-router.ts';
import { unwrapCdc } from './unwrap-cdc.ts';
import { valueToKey } from './value-to-key.ts';

export {
  cast,
  dropHeaders,
  extractField,
  fieldMatches,
  filter,
  flatten,
  hasHeader,
  headerFrom,
  hoistField,
  insertField,
  insertHeader,
  isTombstone,
  maskField,
  parseJson,
  parseLogfmt,
  parseNginx,
  parseRegex,
  parseSyslog,
  regexRouter,
  replaceField,
  timestampConverter,
  timestampRouter,
  topicMatches,
  unwrapCdc,
  valueToKey,
};

/** Built-in transforms, for src/builtins.ts to register. Kafka Connect's SMTs first, then CDC and parsers. */
export const builtinTransforms: TransformPlugin[] = [
  insertField,
  replaceField,
  maskField,
  filter,
  regexRouter,
  valueToKey,
  extractField,
  hoistField,
  flatten,
  cast,
  timestampConverter,
  timestampRouter,
  insertHeader,
  dropHeaders,
  headerFrom,
  unwrapCdc,
  parseJson,
  parseRegex,
  parseLogfmt,
  parseSyslog,
  parseNginx,
];

/** Built-in predicates, for src/builtins.ts to register. */
export const builtinPredicates: PredicatePlugin[] = [topicMatches, hasHeader, isTombstone, fieldMatches];
