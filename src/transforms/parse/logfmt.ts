import { ParseError } from '../parser-transform.ts';

/**
 * logfmt as Go's go-logfmt and Heroku write it: `key=value` pairs separated by spaces; a value may be
 * double-quoted with `\"`, `\\`, `\n`, `\r`, `\t` and `\uXXXX` escapes; a key alone is a flag (true);
 * `key=` is the empty string; an unquoted value may hold `=`. A later duplicate key wins. Values stay text (convert with `types`).
 */
export function parseLogfmt(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && !isSpace(text.charCodeAt(i)) && text[i] !== '=' && text[i] !== '"') i++;
    const key = text.slice(keyStart, i);
    if (key === '') throw new ParseError(`unexpected ${JSON.stringify(text[i])} at column ${i + 1}, expected a key`);
    if (i >= n || isSpace(text.charCodeAt(i))) {
      define(out, key, true);
      continue;
    }
    if (text[i] === '"') throw new ParseError(`unexpected '"' in key "${key}" at column ${i + 1}`);
    i++; // '='
    if (text[i] === '"') {
      const { value, end } = quoted(text, i);
      define(out, key, value);
      i = end;
      if (i < n && !isSpace(text.charCodeAt(i))) throw new ParseError(`expected a space after the quoted value of "${key}" at column ${i + 1}`);
      continue;
    }
    const valueStart = i;
    while (i < n && !isSpace(text.charCodeAt(i))) {
      // A bare `=` is accepted (go-logfmt refuses it): emitters often leave URLs with query strings unquoted.
      if (text[i] === '"') throw new ParseError(`unexpected '"' in the value of "${key}" at column ${i + 1} (quote values holding ")`);
      i++;
    }
    define(out, key, text.slice(valueStart, i));
  }
  if (Object.keys(out).length === 0) throw new ParseError('the text holds no key=value pairs');
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function define(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t', '/': '/' };

function quoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
      continue;
    }
    const unescaped = e === undefined ? undefined : ESCAPES[e];
    if (unescaped === undefined) throw new ParseError(`invalid escape "\\${e ?? ''}" at column ${i + 1}`);
    value += unescaped;
    i += 2;
  }
  throw new ParseError(`a quoted value starting at column ${start + 1} is not closed`);
}
