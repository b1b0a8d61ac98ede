import type { Schema } from '../sdk/schema.ts';
import { isFieldObject, setField } from './record-part.ts';

/**
 * A path to a possibly nested field, written with dots: `after.id`, `source.ts_ms`. A name that
 * itself holds a dot is quoted with backticks, as in Kafka Connect's field syntax V2:
 * `` `user.name`.first ``. A backtick inside a quoted name is doubled.
 *
 * Invariant: a parsed path has at least one segment and no segment is empty.
 */
export type FieldPath = readonly string[];

export function parseFieldPath(text: string): FieldPath {
  const segments: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`field path ${JSON.stringify(text)}: ${why}`);
  };
  if (text === '') fail('is empty');
  while (i <= text.length) {
    let name = '';
    if (text[i] === '`') {
      i++;
      for (;;) {
        if (i >= text.length) fail('a backtick-quoted name is not closed');
        if (text[i] === '`') {
          if (text[i + 1] === '`') {
            name += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += text[i];
        i++;
      }
      if (i < text.length && text[i] !== '.') fail(`expected "." after the quoted name \`${name}\``);
    } else {
      const dot = text.indexOf('.', i);
      const end = dot < 0 ? text.length : dot;
      name = text.slice(i, end);
      i = end;
    }
    if (name === '') fail('has an empty segment (two dots, or a leading or trailing dot)');
    segments.push(name);
    if (i >= text.length) break;
    i++; // the dot
    if (i >= text.length) fail('ends with a dot');
  }
  return segments;
}

/** `a.b` back to text, quoting segments that need it. */
export function formatFieldPath(path: FieldPath): string {
  return path.map((s) => (s.includes('.') || s.startsWith('`') ? `\`${s.replaceAll('`', '``')}\`` : s)).join('.');
}

export type Lookup = { found: true; value: unknown } | { found: false; missing: string };

/**
 * The value at `path` inside `data`. Not found when a segment is absent or an intermediate value
 * is not an object with fields; `missing` then names the first segment that could not be followed.
 */
export function lookupPath(data: unknown, path: FieldPath): Lookup {
  let current: unknown = data;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string;
    if (!isFieldObject(current) || !Object.prototype.hasOwnProperty.call(current, segment)) {
      return { found: false, missing: formatFieldPath(path.slice(0, i + 1)) };
    }
    current = current[segment];
  }
  return { found: true, value: current };
}

/** The schema of the field at `path` inside a struct schema, or undefined when the schema has no such field. */
export function schemaAtPath(schema: Schema, path: FieldPath): Schema | undefined {
  let current: Schema | undefined = schema;
  for (const segment of path) {
    if (current?.type !== 'struct') return undefined;
    current = current.fields?.find((f) => f.field === segment)?.schema;
  }
  return current;
}

/**
 * A copy of `data` without the field at `path`; objects along the path are copied, the rest is
 * shared. Returns `data` itself when the field is absent.
 */
export function withoutPath(data: Record<string, unknown>, path: FieldPath): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined || !Object.prototype.hasOwnProperty.call(data, head)) return data;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(data)) {
    if (k === head) {
      if (rest.length === 0) continue;
      const child = data[k];
      setField(out, k, isFieldObject(child) ? withoutPath(child, rest) : child);
    } else {
      setField(out, k, data[k]);
    }
  }
  return out;
}
