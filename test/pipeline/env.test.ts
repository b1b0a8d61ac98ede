import { describe, expect, it } from 'vitest';
import { interpolateEnv } from '../../src/pipeline/env.ts';

describe('interpolateEnv', () => {
  const env = { HOST: 'db.internal', EMPTY: '', PORT: '5432' };

  it('replaces references inside text', () => {
    expect(interpolateEnv('postgres://${env:HOST}:${env:PORT}/shop', env)).toEqual({ value: 'postgres://db.internal:5432/shop', wholeReference: false, problems: [] });
  });

  it('marks a text that is exactly one reference', () => {
    expect(interpolateEnv('${env:PORT}', env)).toEqual({ value: '5432', wholeReference: true, problems: [] });
    expect(interpolateEnv('${env:PORT}${env:PORT}', env).wholeReference).toBe(false);
  });

  it('uses the default when the variable is unset or empty, like a shell', () => {
    expect(interpolateEnv('${env:NOPE:-fallback}', env).value).toBe('fallback');
    expect(interpolateEnv('${env:EMPTY:-fallback}', env).value).toBe('fallback');
    expect(interpolateEnv('${env:HOST:-fallback}', env).value).toBe('db.internal');
    expect(interpolateEnv('${env:NOPE:-}', env).value).toBe('');
    expect(interpolateEnv('${env:NOPE:-a:-b}', env).value).toBe('a:-b');
  });

  it('an empty variable without a default is set, to the empty string', () => {
    expect(interpolateEnv('${env:EMPTY}', env)).toEqual({ value: '', wholeReference: true, problems: [] });
  });

  it('reports unset variables by name only', () => {
    expect(interpolateEnv('x-${env:NOPE}', env).problems).toEqual([{ kind: 'missing', message: 'environment variable NOPE is not set (give a default with ${env:NOPE:-...})' }]);
  });

  it('$${ is a literal ${, and other ${...} is left for the runtime', () => {
    expect(interpolateEnv('$${env:HOST}', env)).toEqual({ value: '${env:HOST}', wholeReference: false, problems: [] });
    expect(interpolateEnv('cdc.${database}.${table}', env).value).toBe('cdc.${database}.${table}');
    expect(interpolateEnv('cost: $5', env).value).toBe('cost: $5');
  });

  it('malformed references are problems whose message does not repeat the text', () => {
    const unterminated = interpolateEnv('${env:HOST:-s3cr3t', env);
    expect(unterminated.problems).toEqual([{ kind: 'malformed', message: 'unterminated ${env:...} reference (missing "}")' }]);
    const badName = interpolateEnv('${env:1abc}', env);
    expect(badName.problems.map((p) => p.kind)).toEqual(['malformed']);
    expect(JSON.stringify(unterminated.problems)).not.toContain('s3cr3t');
  });
});
