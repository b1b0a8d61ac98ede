import avro from 'avsc';
import type { Type } from 'avsc';
import { describe } from './avro-types.ts';

/**
 * Error messages that name the field. avsc's own write errors say only "invalid <type>", so when
 * encoding fails the value is walked again to find where.
 */
export function explainInvalid(type: Type, value: unknown): string | undefined {
  let found: string | undefined;
  type.isValid(value, {
    errorHook: (path: string[], v: unknown, t: Type) => {
      found ??= `${path.length === 0 ? 'value' : path.join('.')}: ${describe(v)} is not a valid ${label(t)}`;
    },
  });
  return found;
}

function label(type: Type): string {
  const name = type.typeName;
  if (name.startsWith('logical:')) return name.slice('logical:'.length);
  if (name === 'record' || name === 'enum' || name === 'fixed') return `${name} ${type.name ?? ''}`.trim();
  if (name === 'union:unwrapped' || name === 'union:wrapped') {
    return `union of ${(type as avro.types.UnwrappedUnionType).types.map((t) => label(t)).join(', ')}`;
  }
  return name;
}

/** The path of the first property a record value has and its schema does not declare, if any. */
export type UndeclaredFieldCheck = (value: unknown, path: string) => string | undefined;

/**
 * avsc writes the declared fields and ignores any others, which would drop data without a word
 * (a transform that added a field, a schema file missing a column). The JSON envelope serde refuses
 * such records, and so does Avro. Returns undefined for schemas without records (nothing to check).
 */
export function undeclaredFieldCheck(type: Type): UndeclaredFieldCheck | undefined {
  return compile(type, new Map());
}

function compile(type: Type, seen: Map<Type, UndeclaredFieldCheck | undefined>): UndeclaredFieldCheck | undefined {
  if (seen.has(type)) return seen.get(type);
  switch (type.typeName) {
    case 'record':
    case 'error': {
      const record = type as avro.types.RecordType;
      // Registered before the fields are compiled, so recursive records refer to themselves; only
      // called once compiling is done, when `self` is defined.
      seen.set(type, (v, p) => self(v, p));
      const declared = new Set(record.fields.map((f) => f.name));
      const nested = record.fields.map((f) => ({ name: f.name, check: compile(f.type, seen) })).filter((f) => f.check !== undefined);
      const self: UndeclaredFieldCheck = (value, path) => {
        if (typeof value !== 'object' || value === null) return undefined;
        const object = value as Record<string, unknown>;
        for (const key in object) {
          if (!declared.has(key) && Object.hasOwn(object, key) && object[key] !== undefined) return join(path, key);
        }
        for (const f of nested) {
          const found = f.check?.(object[f.name], join(path, f.name));
          if (found !== undefined) return found;
        }
        return undefined;
      };
      seen.set(type, self);
      return self;
    }
    case 'array': {
      const items = compile((type as avro.types.ArrayType).itemsType, seen);
      seen.set(type, items && ((value, path) => (Array.isArray(value) ? firstOf(value, (v, i) => items(v, `${path}[${i}]`)) : undefined)));
      return seen.get(type);
    }
    case 'map': {
      const values = compile((type as avro.types.MapType).valuesType as Type, seen);
      seen.set(type, values && ((value, path) => (typeof value === 'object' && value !== null ? firstOf(Object.entries(value), ([k, v]) => values(v, join(path, k))) : undefined)));
      return seen.get(type);
    }
    case 'union:unwrapped': {
      // Unwrapped unions hold at most one record-like branch per kind; check against each candidate that accepts the value.
      const branches = (type as avro.types.UnwrappedUnionType).types.map((t) => ({ type: t, check: compile(t, seen) })).filter((b) => b.check !== undefined);
      if (branches.length === 0) {
        seen.set(type, undefined);
        return undefined;
      }
      const check: UndeclaredFieldCheck = (value, path) => {
        if (value === null || typeof value !== 'object') return undefined;
        for (const b of branches) if (b.type.isValid(value)) return b.check?.(value, path);
        return undefined;
      };
      seen.set(type, check);
      return check;
    }
    default:
      seen.set(type, undefined);
      return undefined;
  }
}

function firstOf<T>(items: T[], fn: (item: T, index: number) => string | undefined): string | undefined {
  for (let i = 0; i < items.length; i++) {
    const found = fn(items[i] as T, i);
    if (found !== undefined) return found;
  }
  return undefined;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
