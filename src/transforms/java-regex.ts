/**
 * Regular expressions written for Kafka Connect (java.util.regex) run on JavaScript's engine. The
 * common syntax is the same; this module covers the differences Connect configs actually meet:
 *
 * - `matches()` semantics: a pattern must match the whole input, so `full` is anchored;
 * - a leading inline flag group such as `(?i)` becomes a JS flag (i, m, s; `u` is accepted and has
 *   no further effect);
 * - `\Q...\E` quoting;
 * - replacement strings use Java's `$1`, `${name}` and `\$` rather than JS's `$<name>` and `$$`.
 *
 * Java-only constructs (possessive quantifiers, atomic groups, `\A`, `\z`) are rejected by the JS
 * engine and surface as an error naming the pattern.
 */
export interface JavaPattern {
  /** Anchored at both ends: Java's `Matcher.matches()`. */
  full: RegExp;
  /** Unanchored, non-global: the first match, as Java's `find()` and `replaceFirst()` see it. */
  find: RegExp;
  groupCount: number;
  groupNames: ReadonlySet<string>;
}

export function compileJavaPattern(source: string): JavaPattern {
  const { body, flags } = translate(source);
  let full: RegExp;
  let find: RegExp;
  let probe: RegExpExecArray | null;
  try {
    full = new RegExp(`^(?:${body})$`, flags);
    find = new RegExp(body, flags);
    // An empty alternative makes every pattern match "", so the result reveals the group layout.
    probe = new RegExp(`(?:${body})|`, flags).exec('');
  } catch (err) {
    throw new Error(`${JSON.stringify(source)} is not a regular expression this engine accepts: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return { full, find, groupCount: (probe?.length ?? 1) - 1, groupNames: new Set(Object.keys(probe?.groups ?? {})) };
}

function translate(source: string): { body: string; flags: string } {
  let body = source;
  let flags = '';
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (inline !== null) {
    for (const f of inline[1] ?? '') {
      if (f === 'i' || f === 'm' || f === 's') flags += flags.includes(f) ? '' : f;
      else if (f !== 'u') throw new Error(`${JSON.stringify(source)}: inline flag (?${f}) is not supported (only i, m, s, u)`);
    }
    body = body.slice(inline[0].length);
  }
  body = body.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, quoted: string) => quoted.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
  return { body, flags };
}

type ReplacementPart = string | { group: number } | { name: string };

/** A parsed Java replacement string, checked against the pattern's groups up front. */
export class JavaReplacement {
  private readonly parts: readonly ReplacementPart[];

  constructor(replacement: string, pattern: JavaPattern) {
    this.parts = parseReplacement(replacement, pattern);
  }

  /** Java's `Matcher.replaceFirst(replacement)`: unmatched groups expand to nothing. */
  replaceFirst(input: string, find: RegExp): string {
    const m = find.exec(input);
    if (m === null) return input;
    let out = input.slice(0, m.index);
    for (const part of this.parts) {
      if (typeof part === 'string') out += part;
      else if ('group' in part) out += m[part.group] ?? '';
      else out += m.groups?.[part.name] ?? '';
    }
    return out + input.slice(m.index + m[0].length);
  }
}

/** Mirrors `Matcher.appendExpandedReplacement`, including its greedy-but-bounded group numbers. */
function parseReplacement(replacement: string, pattern: JavaPattern): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let literal = '';
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`replacement ${JSON.stringify(replacement)}: ${why}`);
  };
  while (i < replacement.length) {
    const c = replacement[i] ?? '';
    if (c === '\\') {
      if (i + 1 >= replacement.length) fail('a trailing \\ escapes nothing');
      literal += replacement[i + 1];
      i += 2;
      continue;
    }
    if (c !== '$') {
      literal += c;
      i++;
      continue;
    }
    i++;
    if (i >= replacement.length) fail('$ at the end names no group (write \\$ for a literal $)');
    if (literal !== '') parts.push(literal);
    literal = '';
    if (replacement[i] === '{') {
      const close = replacement.indexOf('}', i);
      if (close < 0) fail('${ has no closing }');
      const name = replacement.slice(i + 1, close);
      if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) fail(`\${${name}} is not a valid group name`);
      if (!pattern.groupNames.has(name)) fail(`the pattern has no group named "${name}"`);
      parts.push({ name });
      i = close + 1;
      continue;
    }
    let group = digit(replacement, i);
    if (group < 0) fail(`$ must be followed by a group number or {name} (write \\$ for a literal $)`);
    i++;
    for (;;) {
      const next = digit(replacement, i);
      if (next < 0 || group * 10 + next > pattern.groupCount) break;
      group = group * 10 + next;
      i++;
    }
    if (group > pattern.groupCount) fail(`$${group} refers to a group the pattern does not have (it has ${pattern.groupCount})`);
    parts.push({ group });
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 0x30;
  return c >= 0 && c <= 9 ? c : -1;
}
