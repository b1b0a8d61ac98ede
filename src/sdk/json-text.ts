/**
 * JSON text with the numbers and bytes that `JSON.stringify`/`JSON.parse` get wrong for record data:
 *
 * - bigint is written as a JSON number with every digit (Kafka offsets, int64 ids beyond 2^53);
 * - Buffer/Uint8Array is written as a base64 string (what Connect's JsonConverter does for bytes);
 * - Date is written as its ISO-8601 string (through its `toJSON`, like `JSON.stringify`);
 * - {@link JsonNumber} is written verbatim, for decimals that must not pass through a double;
 * - integers beyond ±(2^53 − 1) are parsed as bigint instead of being silently rounded.
 *
 * Errors are thrown as plain `Error`s; the serde that calls this module wraps them with its own code
 * (SERIALIZATION_FAILED or DESERIALIZATION_FAILED), since only it knows the direction.
 */

/** A number kept as its JSON text, so arbitrary precision survives a round trip. */
export class JsonNumber {
  readonly text: string;

  constructor(text: string) {
    if (!NUMBER_LITERAL.test(text)) throw new Error(`"${text}" is not a JSON number`);
    this.text = text;
  }

  toString(): string {
    return this.text;
  }
}

const NUMBER_LITERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Deeper than this is almost certainly a cycle; failing cleanly beats a stack overflow. */
const MAX_DEPTH = 1000;

/**
 * Encodes `value` as JSON text. `undefined` members are omitted like `JSON.stringify` does; a
 * top-level `undefined` encodes as `null`. Non-finite numbers throw rather than turning into `null`,
 * because that would silently change the data.
 */
export function stringifyJson(value: unknown): string {
  return encode(value, 0);
}

function encode(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`${value} cannot be written as JSON`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
      return 'null';
    case 'object':
      break;
    default:
      throw new Error(`a ${typeof value} cannot be written as JSON`);
  }
  if (value === null) return 'null';
  if (depth >= MAX_DEPTH) throw new Error(`value is nested more than ${MAX_DEPTH} levels deep (a cycle?)`);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += encode(value[i], depth + 1);
    }
    return out + ']';
  }
  if (value instanceof Uint8Array) return `"${toBase64(value)}"`;
  if (value instanceof JsonNumber) return value.text;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('an invalid Date cannot be written as JSON');
    return `"${value.toISOString()}"`;
  }
  if (value instanceof Set) return encode([...value], depth);
  if (value instanceof Map) {
    let out = '{';
    let first = true;
    for (const [k, v] of value) {
      if (v === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += quote(String(k)) + ':' + encode(v, depth + 1);
    }
    return out + '}';
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return encode(toJSON.call(value), depth + 1);
  let out = '{';
  let first = true;
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (!first) out += ',';
    first = false;
    out += quote(k) + ':' + encode(v, depth + 1);
  }
  return out + '}';
}

/** Characters JSON must escape (and surrogates, so lone ones get `JSON.stringify`'s well-formed escapes). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Most field names and values need no escaping; skipping the native call for them halves encode time. */
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export interface ParseJsonOptions {
  /**
   * Return non-integer numbers whose text has more significant digits than a double holds as
   * {@link JsonNumber} instead of a rounded `number`. For decimal fields read exactly.
   */
  exactDecimals?: boolean;
}

/**
 * Integer literals of 16+ digits may exceed 2^53; decimals of 16+ digits may not fit a double. Only
 * text containing such a run pays for the precise parser; a hit inside a string is a false alarm
 * that costs time, not correctness.
 */
const LONG_INTEGER = /\d{16}/;
const LONG_NUMBER = /\d{16}|[\d.]{17}/;

/** Parses JSON text. Integers beyond ±(2^53 − 1) become bigint; everything else is as `JSON.parse`. */
export function parseJson(text: string, options: ParseJsonOptions = {}): unknown {
  const exact = options.exactDecimals === true;
  if (!(exact ? LONG_NUMBER : LONG_INTEGER).test(text)) return JSON.parse(text);
  return new PreciseParser(text, exact).parseDocument();
}

/**
 * A small recursive-descent JSON parser used only when {@link parseJson} sees long numbers. Strings
 * are decoded by `JSON.parse` on their exact slice, so escapes behave identically.
 */
class PreciseParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly exactDecimals: boolean,
  ) {}

  parseDocument(): unknown {
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private parseValue(depth: number): unknown {
    if (depth >= MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        return this.parseObject(depth);
      case 0x5b /* [ */:
        return this.parseArray(depth);
      case 0x22 /* " */:
        return this.parseString();
      case 0x74 /* t */:
        return this.parseLiteral('true', true);
      case 0x66 /* f */:
        return this.parseLiteral('false', false);
      case 0x6e /* n */:
        return this.parseLiteral('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
        return this.fail(Number.isNaN(c) ? 'unexpected end of input' : `unexpected character ${JSON.stringify(this.text[this.pos])}`);
    }
  }

  private parseObject(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a property name');
      const key = this.parseString();
      this.skipWhitespace();
      this.expect(0x3a, ':');
      // defineProperty, so a "__proto__" key is data like in JSON.parse, not a prototype change.
      Object.defineProperty(out, key, { value: this.parseValue(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return out;
      if (c !== 0x2c) this.fail('expected , or }', this.pos - 1);
    }
  }

  private parseArray(depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) this.fail('expected , or ]', this.pos - 1);
    }
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string', start);
      if (c === 0x5c /* \ */) this.pos += 2;
      else if (c === 0x22) break;
      else this.pos++;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private parseNumber(): number | bigint | JsonNumber {
    const match = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = this.pos;
    const m = match.exec(this.text);
    if (m === null) return this.fail('invalid number');
    this.pos = match.lastIndex;
    const literal = m[0];
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(literal);
      return Number.isSafeInteger(n) ? n : BigInt(literal);
    }
    if (this.exactDecimals && significantDigits(literal) > 15) return new JsonNumber(literal);
    return Number(literal);
  }

  private parseLiteral<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`unexpected character ${JSON.stringify(this.text[this.pos])}`);
    this.pos += word.length;
    return value;
  }

  private expect(code: number, ch: string): void {
    if (this.text.charCodeAt(this.pos) !== code) this.fail(`expected ${ch}`);
    this.pos++;
  }

  private skipWhitespace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return;
    }
  }

  private fail(message: string, at = this.pos): never {
    throw new SyntaxError(`${message} in JSON at position ${at}`);
  }
}

function significantDigits(literal: string): number {
  const mantissa = literal.replace(/[eE].*$/, '').replace(/[-.]/g, '').replace(/^0+/, '');
  return mantissa.length;
}

/**
 * The index just past the JSON value starting at `start` in `text` (whitespace before it skipped).
 * Assumes the text is valid JSON, as after a successful parse; used to find where a value's exact
 * text ends without parsing it again.
 */
export function endOfJsonValue(text: string, start: number): number {
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (depth === 0) return i + 1;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) {
      return i; // end of a scalar at the top level
    }
  }
  return i;
}
