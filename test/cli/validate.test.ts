import { describe, expect, it } from 'vitest';
import { validateCommand, VALIDATE_USAGE } from '../../src/cli/commands/validate.ts';
import { createFixtureRegistry } from '../fixtures/plugins/fixture-registry.ts';
import { fixture } from '../pipeline/helpers.ts';

function capture(): { write(chunk: string): boolean; text(): string } {
  let text = '';
  return {
    write(chunk: string) {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}

async function validate(files: string[], env: Record<string, string> = {}) {
  const stdout = capture();
  const stderr = capture();
  const registry = createFixtureRegistry();
  const code = await validateCommand(files, { stdout, stderr, env, registry });
  return { code, stdout: stdout.text(), stderr: stderr.text(), registry };
}

describe('validateCommand', () => {
  it('exits 0 and prints ok for each valid file', async () => {
    const files = [fixture('pipeline-valid-minimal.yaml'), fixture('pipeline-user-plugin.yaml')];
    const r = await validate(files);
    expect(r).toMatchObject({ code: 0, stdout: `ok ${files[0]}\nok ${files[1]}\n`, stderr: '' });
  });

  it('exits 1 and prints every error, one per line, then a summary', async () => {
    const valid = fixture('pipeline-valid-minimal.yaml');
    const dup = fixture('pipeline-duplicate-sink-name.yaml');
    const wrong = fixture('pipeline-wrong-type.yaml');
    const r = await validate([valid, dup, wrong]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`ok ${valid}\n`);
    expect(r.stderr).toBe(
      [
        `${dup}:13:11: sinks[2].name: duplicate sink name "pg" (already used by sinks[0])`,
        `${wrong}:5:11: source.config.rate: must be an integer`,
        `${wrong}:8:15: topic.partitions: must be an integer`,
        `${wrong}:12:14: sinks[0].workers: must be an integer`,
        `${wrong}:14:12: sinks[0].config.url: must be a string`,
        '5 errors in 2 of 3 files',
        '',
      ].join('\n'),
    );
  });

  it('uses the environment it is given', async () => {
    const file = fixture('pipeline-bad-env-reference.yaml');
    const r = await validate([file], { TRIBUTARY_TEST_UNSET_TOKEN: 't', TRIBUTARY_TEST_PG_HOST: 'h' });
    expect(r.stderr).toBe(
      `${file}:14:17: sinks[0].config.password: invalid variable name in \${env:...} reference (use letters, digits and "_", not starting with a digit)\n1 error in 1 of 1 file\n`,
    );
  });

  it('never prints a secret value', async () => {
    const r = await validate([fixture('pipeline-bad-plugin-config.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).not.toContain('987654321');
  });

  it('checks each file with its own plugins: one file loading a plugin does not vouch for another', async () => {
    const loads = fixture('pipeline-user-plugin.yaml');
    const relies = fixture('pipeline-bad-user-plugin.yaml');
    const r = await validate([loads, relies]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${relies}:8:11: transforms[0].type: unknown transform "uppercase" (known: mask-field)\n`);
    // The caller's registry is left as it was.
    expect(r.registry.has('transform', 'uppercase')).toBe(false);
  });

  it('exits 2 with usage when no file is named, or an option is passed', async () => {
    expect(await validate([])).toMatchObject({ code: 2, stdout: '', stderr: `${VALIDATE_USAGE}\n` });
    expect(await validate(['--strict', fixture('pipeline-valid-minimal.yaml')])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `validate: unknown option "--strict"\n${VALIDATE_USAGE}\n`,
    });
  });

  it('reports an unreadable file like any other invalid one', async () => {
    const missing = fixture('pipeline-nope.yaml');
    const r = await validate([missing]);
    expect(r).toMatchObject({ code: 1, stderr: `${missing}: cannot read file: no such file\n1 error in 1 of 1 file\n` });
  });
});
