import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { silentLogger } from '../../src/sdk/logger.ts';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(args, { stdout, stderr, env: {}, logger: silentLogger, signal: new AbortController().signal });
  return { code, stdout: out, stderr: err };
}

const fixture = (name: string): string => new URL(`../fixtures/pipelines/${name}`, import.meta.url).pathname;

describe('tributary CLI', () => {
  it('--help lists every command and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['run', 'validate', 'plugins', 'broker']) expect(r.stdout).toContain(`tributary ${command}`);
  });

  it('no command prints help and exits 2 (usage)', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage:');
  });

  it.each(['run', 'validate', 'plugins', 'broker'])('`%s --help` prints that command\'s help', async (command) => {
    const r = await cli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`tributary ${command}`);
  });

  it('an unknown command exits 2 naming it', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });

  it('a bad --log-level exits 2', async () => {
    const r = await cli(['plugins', '--log-level', 'loud']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--log-level must be one of');
  });

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tributary \d+\.\d+\.\d+\n$/);
  });

  it('plugins lists built-ins of every kind', async () => {
    const r = await cli(['plugins']);
    expect(r.code).toBe(0);
    for (const line of [/^source\s+datagen\s/m, /^sink\s+file\s/m, /^transform\s+mask-field\s/m, /^predicate\s+topic-matches\s/m, /^serde\s+json\s/m]) expect(r.stdout).toMatch(line);
  });

  it('plugins <name> prints the config spec with defaults', async () => {
    const r = await cli(['plugins', 'datagen']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('datagen (source, 1.0.0)');
    expect(r.stdout).toMatch(/seed\s+\(integer; default 1\)/);
  });

  it('plugins with a misspelt name suggests the closest and exits 1', async () => {
    const r = await cli(['plugins', 'datagn']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('did you mean "datagen"?');
  });

  it('run without files is a usage error', async () => {
    const r = await cli(['run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('name at least one pipeline file');
  });

  it('run with a bad --role is a usage error', async () => {
    const r = await cli(['run', fixture('pipeline-valid-minimal.yaml'), '--role', 'both']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--role must be all, source or sinks');
  });

  it('run refuses an invalid pipeline before starting anything, with positioned errors', async () => {
    const r = await cli(['run', fixture('pipeline-unknown-field.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pipeline-unknown-field\.yaml:\d+:\d+: /);
    expect(r.stderr).toContain('not started');
  });
});
