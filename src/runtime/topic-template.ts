import { TributaryError } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';

/**
 * A topic name with `${field}` placeholders (e.g. `users.${country}`) filled per record from the
 * record value's top-level fields (dotted paths reach nested ones). Compiled once; a plain name
 * compiles to a constant.
 */
export type TopicResolver = (record: TributaryRecord) => string;

const PLACEHOLDER = /\$\{([^}]+)\}/g;

export function isTopicTemplate(name: string): boolean {
  return name.includes('${');
}

export function compileTopicTemplate(template: string): TopicResolver {
  if (!isTopicTemplate(template)) return () => template;
  const parts = template.split(PLACEHOLDER);
  // split() with one capture group alternates literal, field, literal, field, ..., literal.
  return (record) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (i % 2 === 0) {
        out += part;
        continue;
      }
      const value = lookup(record.value, part);
      if (value === undefined || value === null || typeof value === 'object') {
        throw new TributaryError('TRANSFORM_FAILED', `routing to topic "${template}": the record value has no scalar field "${part}"`);
      }
      out += String(value).replace(/[^a-zA-Z0-9._-]/g, '_');
    }
    return out;
  };
}

function lookup(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
