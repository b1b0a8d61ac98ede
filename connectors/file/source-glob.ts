import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';

/**
 * Glob patterns for the file source: `*` and `?` within one path segment, `**` across segments,
 * `[abc]`/`[!abc]` classes and `{a,b}` alternatives. A pattern is split into the longest leading
 * folder without glob characters (where listing starts) and a matcher for the rest, so
 * `/var/log/nginx/*.log` lists only `/var/log/nginx`.
 */
export interface CompiledGlob {
  /** The absolute folder listing starts in. */
  root: string;
  /** Matches paths relative to `root`, with `/` separators. */
  matcher: RegExp;
  /** How many folders deep below root a match can be; Infinity with `**`. */
  depth: number;
}

const GLOB_CHARS = /[*?[\]{}]/;

export function compileGlob(pattern: string, cwd: string): CompiledGlob {
  const absolute = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  const segments = absolute.split(sep);
  let firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
  // A literal path: its folder is the root and the file name the whole matcher.
  if (firstGlob < 0) firstGlob = segments.length - 1;
  const root = segments.slice(0, firstGlob).join(sep) || sep;
  const rest = segments.slice(firstGlob);
  const depth = rest.includes('**') ? Infinity : rest.length - 1;
  return { root, matcher: new RegExp(`^${globToRegex(rest.join('/'))}$`), depth };
}

/** `*.gz` (no slash) tests the file name; a pattern with a slash tests the absolute path. */
export function compileExclude(pattern: string, cwd: string): (path: string) => boolean {
  if (!pattern.includes('/')) {
    const re = new RegExp(`^${globToRegex(pattern)}$`);
    return (path) => re.test(path.slice(path.lastIndexOf(sep) + 1));
  }
  const re = new RegExp(`^${globToRegex((isAbsolute(pattern) ? pattern : resolve(cwd, pattern)).split(sep).join('/'))}$`);
  return (path) => re.test(path.split(sep).join('/'));
}

export function globToRegex(glob: string): string {
  let out = '';
  let i = 0;
  let braces = 0;
  while (i < glob.length) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const wholeSegment = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
        if (wholeSegment && glob[i + 2] === '/') {
          out += '(?:[^/]*/)*';
          i += 3;
        } else {
          out += '.*';
          i += 2;
        }
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|\\]/g, '\\$&');
    i++;
  }
  return out + ')'.repeat(braces);
}

/**
 * Every regular file (or symlink to one) matching any of `include` and none of `exclude`, sorted.
 * Folders that vanish or cannot be read while listing are skipped: log folders change under us.
 */
export async function listMatches(include: readonly CompiledGlob[], exclude: ReadonlyArray<(path: string) => boolean>): Promise<string[]> {
  const found = new Set<string>();
  for (const glob of include) await walk(glob, glob.root, '', 0, found);
  return [...found].filter((p) => !exclude.some((x) => x(p))).sort();
}

async function walk(glob: CompiledGlob, dir: string, relative: string, depth: number, found: Set<string>): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      // Symlinked folders are not followed: they can loop.
      if (depth < glob.depth) await walk(glob, full, rel, depth + 1, found);
      continue;
    }
    if (!glob.matcher.test(rel)) continue;
    if (entry.isFile()) found.add(full);
    else if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined);
      if (target?.isFile()) found.add(full);
    }
  }
}
