/**
 * The subset of Java's SimpleDateFormat that Kafka Connect's TimestampConverter and TimestampRouter
 * configs use, always in UTC (as Connect does): `yyyy yy MM M MMM MMMM dd d HH H hh h mm m ss s
 * S...  a EEE EEEE Z X XX XXX 'literal'`. Formatting is exact; parsing accepts the same layout and
 * honours a parsed zone offset (`Z`/`X`), otherwise the text is read as UTC.
 *
 * Invariant: a compiled pattern never throws for a valid Date when formatting; parse returns
 * undefined (never throws) for text that does not fit, so callers can name the field in their error.
 */
export interface DateFormat {
  readonly pattern: string;
  format(epochMillis: number): string;
  /** Epoch milliseconds, or undefined when `text` does not match the pattern or names an impossible date. */
  parse(text: string): number | undefined;
}

type Token = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; width: number };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SUPPORTED = new Set(['y', 'M', 'd', 'H', 'h', 'm', 's', 'S', 'a', 'E', 'Z', 'X']);

export function compileDateFormat(pattern: string): DateFormat {
  const tokens = tokenize(pattern);
  const { regex, fields } = parser(tokens);
  return {
    pattern,
    format: (ms) => tokens.map((t) => (t.kind === 'literal' ? t.text : formatField(t.letter, t.width, new Date(ms)))).join(''),
    parse: (text) => parseWith(regex, fields, text),
  };
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const literal = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal("'");
        i += 2;
        continue;
      }
      const close = pattern.indexOf("'", i + 1);
      if (close < 0) throw new Error(`date pattern ${JSON.stringify(pattern)}: a quoted literal is not closed`);
      literal(pattern.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) {
      if (!SUPPORTED.has(c)) throw new Error(`date pattern ${JSON.stringify(pattern)}: letter "${c}" is not supported (use y M d H h m s S a E Z X, quote literal text with '...')`);
      let width = 1;
      while (pattern[i + width] === c) width++;
      tokens.push({ kind: 'field', letter: c, width });
      i += width;
      continue;
    }
    literal(c);
    i++;
  }
  return tokens;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function formatField(letter: string, width: number, d: Date): string {
  switch (letter) {
    case 'y': {
      const y = d.getUTCFullYear();
      return width === 2 ? pad(y % 100, 2) : pad(y, width);
    }
    case 'M': {
      const m = d.getUTCMonth();
      if (width >= 4) return MONTHS[m] as string;
      if (width === 3) return (MONTHS[m] as string).slice(0, 3);
      return pad(m + 1, width);
    }
    case 'd':
      return pad(d.getUTCDate(), width);
    case 'H':
      return pad(d.getUTCHours(), width);
    case 'h':
      return pad(d.getUTCHours() % 12 || 12, width);
    case 'm':
      return pad(d.getUTCMinutes(), width);
    case 's':
      return pad(d.getUTCSeconds(), width);
    case 'S':
      // Java prints the millisecond count padded to the width (SSS = 007), not a decimal fraction.
      return pad(d.getUTCMilliseconds(), width);
    case 'a':
      return d.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'E': {
      const day = DAYS[d.getUTCDay()] as string;
      return width >= 4 ? day : day.slice(0, 3);
    }
    case 'Z':
      return '+0000';
    default: // X: UTC prints as Z in every width.
      return 'Z';
  }
}

interface ParsedFields {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  millis?: number;
  offsetMinutes?: number;
}

type FieldReader = (text: string, into: ParsedFields) => boolean;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function parser(tokens: Token[]): { regex: RegExp; fields: FieldReader[] } {
  let source = '';
  const fields: FieldReader[] = [];
  const num = (width: number): string => (width >= 2 ? `(\\d{${width}})` : '(\\d{1,2})');
  for (const t of tokens) {
    if (t.kind === 'literal') {
      source += escapeRegex(t.text);
      continue;
    }
    switch (t.letter) {
      case 'y':
        source += t.width === 2 ? '(\\d{2})' : '(\\d{4})';
        fields.push((s, f) => ((f.year = t.width === 2 ? 2000 + Number(s) : Number(s)), true));
        break;
      case 'M':
        if (t.width >= 3) {
          source += '([A-Za-z]+)';
          fields.push((s, f) => {
            const i = MONTHS.findIndex((m) => (t.width >= 4 ? m : m.slice(0, 3)).toLowerCase() === s.toLowerCase());
            f.month = i + 1;
            return i >= 0;
          });
        } else {
          source += num(t.width);
          fields.push((s, f) => ((f.month = Number(s)), true));
        }
        break;
      case 'd':
        source += num(t.width);
        fields.push((s, f) => ((f.day = Number(s)), true));
        break;
      case 'H':
      case 'h':
        source += num(t.width);
        fields.push((s, f) => ((f.hour = Number(s)), t.letter === 'H' || (Number(s) >= 1 && Number(s) <= 12)));
        break;
      case 'm':
        source += num(t.width);
        fields.push((s, f) => ((f.minute = Number(s)), true));
        break;
      case 's':
        source += num(t.width);
        fields.push((s, f) => ((f.second = Number(s)), true));
        break;
      case 'S':
        source += `(\\d{${t.width}})`;
        // Fractions longer than milliseconds (SSSSSS) keep their first three digits.
        fields.push((s, f) => ((f.millis = t.width <= 3 ? Number(s) : Number(s.slice(0, 3))), true));
        break;
      case 'a':
        source += '(AM|PM|am|pm)';
        fields.push((s, f) => ((f.pm = s.toUpperCase() === 'PM'), true));
        break;
      case 'E':
        source += '([A-Za-z]+)';
        fields.push((s) => DAYS.some((d) => (t.width >= 4 ? d : d.slice(0, 3)).toLowerCase() === s.toLowerCase()));
        break;
      default: // Z, X: a zone offset.
        source += '(Z|[+-]\\d{2}(?::?\\d{2})?)';
        fields.push((s, f) => {
          if (s === 'Z') f.offsetMinutes = 0;
          else {
            const sign = s[0] === '-' ? -1 : 1;
            const digits = s.slice(1).replace(':', '');
            f.offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
          }
          return true;
        });
    }
  }
  return { regex: new RegExp(`^${source}$`), fields };
}

function parseWith(regex: RegExp, readers: FieldReader[], text: string): number | undefined {
  const m = regex.exec(text);
  if (m === null) return undefined;
  const f: ParsedFields = {};
  for (let i = 0; i < readers.length; i++) {
    if (!(readers[i] as FieldReader)(m[i + 1] ?? '', f)) return undefined;
  }
  let hour = f.hour ?? 0;
  if (f.pm !== undefined) hour = (hour % 12) + (f.pm ? 12 : 0);
  const year = f.year ?? 1970;
  const month = f.month ?? 1;
  const day = f.day ?? 1;
  const minute = f.minute ?? 0;
  const second = f.second ?? 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, f.millis ?? 0);
  // Date.UTC rolls 31 February over into March; a real date survives the round trip.
  const check = new Date(ms);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  return ms - (f.offsetMinutes ?? 0) * 60_000;
}
