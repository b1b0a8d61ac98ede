import { sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileExclude, compileGlob } from '../../../connectors/file/source-glob.ts';

describe('file source globs', () => {
  it.each<[string, string, number, string[], string[]]>([
    ['/var/log/nginx/*.log', '/var/log/nginx', 0, ['access.log', 'error.log'], ['access.log.1', 'x/access.log']],
    ['/var/log/app.log*', '/var/log', 0, ['app.log', 'app.log.1', 'app.log.2.gz'], ['other.log']],
    ['/logs/**/*.log', '/logs', Infinity, ['a.log', 'x/a.log', 'x/y/z.log'], ['a.txt', 'x/a.log.1']],
    ['/logs/*/app-?.log', '/logs', 1, ['web/app-1.log'], ['web/app-10.log', 'app-1.log', 'a/b/app-1.log']],
    ['/logs/{web,api}/[a-c].log', '/logs', 1, ['web/a.log', 'api/c.log'], ['db/a.log', 'web/d.log']],
    ['/logs/[!a]*.log', '/logs', 0, ['b.log'], ['a.log']],
    ['/var/log/syslog', '/var/log', 0, ['syslog'], ['syslog.1']],
  ])('%s lists %s (depth %s)', (pattern, root, depth, matches, misses) => {
    const glob = compileGlob(pattern.split('/').join(sep), '/');
    expect(glob.root).toBe(root.split('/').join(sep));
    expect(glob.depth).toBe(depth);
    for (const m of matches) expect(glob.matcher.test(m), m).toBe(true);
    for (const m of misses) expect(glob.matcher.test(m), m).toBe(false);
  });

  it('resolves relative patterns against the working directory', () => {
    expect(compileGlob('logs/*.log', '/srv/app').root).toBe(['', 'srv', 'app', 'logs'].join(sep));
  });

  it('tests excludes without a slash against the file name, others against the path', () => {
    expect(compileExclude('*.gz', '/')('/var/log/app.log.1.gz')).toBe(true);
    expect(compileExclude('*.gz', '/')('/var/log.gz/app.log')).toBe(false);
    expect(compileExclude('/var/log/old/**', '/')('/var/log/old/a/b.log')).toBe(true);
    expect(compileExclude('/var/log/old/**', '/')('/var/log/new/b.log')).toBe(false);
  });
});
