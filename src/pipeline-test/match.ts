/**
 * Comparing what a pipeline produced with what a test expects. Two modes:
 * - equality: same scalars, same object keys (none missing, none extra), same array lengths;
 * - inclusion (`*Includes`): every key the expectation names must match, recursively; other keys of
 *   the produced object are ignored; arrays still match element by element at the same length.
 * Each difference is reported at its path (`value.address.city`), so a failure says exactly where.
 */
export interface Mismatch {
  path: string;
  expected: unknown;
  actual: unknown;
  /** What is wrong when it is not a plain value difference, e.g. `missing field`. */
  note?: string;
}

export function compare(expected: unknown, actual: unknown, path: string, partial: boolean, out: Mismatch[] = []): Mismatch[] {
  if (isPlainObject(expected) && isPlainObject(actual)) {
    for (const key of Object.keys(expected)) {
      const at = `${path}.${key}`;
      if (!Object.prototype.hasOwnProperty.call(actual, key)) out.push({ path: at, expected: expected[key], actual: undefined, note: 'missing field' });
      else compare(expected[key], actual[key], at, partial, out);
    }
    if (!partial) {
      for (const key of Object.keys(actual)) {
        if (!Object.prototype.hasOwnProperty.call(expected, key)) out.push({ path: `${path}.${key}`, expected: undefined, actual: actual[key], note: 'unexpected field' });
      }
    }
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push({ path, expected, actual, note: `expected ${expected.length} items, got ${actual.length}` });
      return out;
    }
    expected.forEach((e, i) => compare(e, actual[i], `${path}[${i}]`, partial, out));
    return out;
  }
  if (!scalarEquals(expected, actual)) out.push({ path, expected, actual });
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Date);
}

function scalarEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    try {
      return BigInt(a as bigint | number | string) === BigInt(b as bigint | number | string);
    } catch {
      return false;
    }
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return Object.is(a, b) || (typeof a === 'number' && typeof b === 'number' && a === b);
}

/** A value as one line of JSON for messages (bigint with all digits, bytes as base64, undefined as `(absent)`). */
export function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  return JSON.stringify(v, replacer) ?? String(v);
}

/** A value as pretty JSON for diffs. */
export function pretty(v: unknown): string {
  if (v === undefined) return '(absent)';
  return JSON.stringify(v, replacer, 2) ?? String(v);
}

function replacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : `${v}n`;
  if (v !== null && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
    return { base64: Buffer.from((v as { data: number[] }).data).toString('base64') };
  }
  return v;
}
