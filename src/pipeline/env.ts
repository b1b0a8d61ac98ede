/**
 * `${env:NAME}` interpolation in pipeline string values.
 *
 * - `${env:NAME}` is the variable's value; unset is an error.
 * - `${env:NAME:-default}` is the value, or `default` when the variable is unset or empty (as in a
 *   POSIX shell). The default is literal text and cannot contain `}`.
 * - `$${` is a literal `${`, so `$${env:X}` reaches the plugin as the text `${env:X}`.
 * - Any other `${...}` (for example the topic template `cdc.${table}`) is left alone.
 */

/** The environment as passed in by the caller: never read from `process.env` here. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface Interpolation {
  value: string;
  /** The text was exactly one `${env:...}` reference, so the value may be read as a number or boolean where a schema wants one. */
  wholeReference: boolean;
  /** Problems, in order. Messages name variables but never include values. */
  problems: InterpolationProblem[];
}

export interface InterpolationProblem {
  kind: 'missing' | 'malformed';
  message: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OPEN = '${env:';

export function interpolateEnv(text: string, env: Env): Interpolation {
  let value = '';
  let references = 0;
  let literal = false;
  const problems: InterpolationProblem[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      literal = true;
      i += 3;
      continue;
    }
    if (!text.startsWith(OPEN, i)) {
      value += text.charAt(i);
      literal = true;
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + OPEN.length);
    if (close < 0) {
      problems.push({ kind: 'malformed', message: 'unterminated ${env:...} reference (missing "}")' });
      value += text.slice(i);
      break;
    }
    const body = text.slice(i + OPEN.length, close);
    const sep = body.indexOf(':-');
    const name = sep < 0 ? body : body.slice(0, sep);
    const fallback = sep < 0 ? undefined : body.slice(sep + 2);
    references += 1;
    i = close + 1;
    if (!NAME.test(name)) {
      problems.push({ kind: 'malformed', message: 'invalid variable name in ${env:...} reference (use letters, digits and "_", not starting with a digit)' });
      continue;
    }
    const set = env[name];
    if (fallback !== undefined) {
      value += set === undefined || set === '' ? fallback : set;
    } else if (set === undefined) {
      problems.push({ kind: 'missing', message: `environment variable ${name} is not set (give a default with \${env:${name}:-...})` });
    } else {
      value += set;
    }
  }
  return { value, wholeReference: references === 1 && !literal, problems };
}
