import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../src/builtins.ts';
import { TEST_USAGE, testCommand } from '../../src/cli/commands/test.ts';
import { runCommand } from '../harness/child-process.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'src/cli/tributary.js');
const QUICKSTART = join(ROOT, 'pipelines/quickstart.yaml');
const UPPERCASE_PLUGIN = join(ROOT, 'test/fixtures/plugins/uppercase-transform.ts');

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

async function test(args: string[]) {
  const stdout = capture();
  const stderr = capture();
  const code = await testCommand(args, { stdout, stderr, registry: createBuiltinRegistry() });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('tributary test', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-test-command-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes on the shipped pipelines, run as the command a user types', async () => {
    const r = await runCommand(process.execPath, [CLI, 'test', 'pipelines/'], { cwd: ROOT, env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn' }, timeoutMs: 60_000 });
    expect(r.output).toContain('ok   pipelines/quickstart.test.yaml');
    expect(r.output).toContain('ok   pipelines/log-shipping.test.yaml');
    expect(r.output).toMatch(/\n(\d+) passed, 0 failed \(2 files\)\n/);
    expect(r.code, r.output).toBe(0);
  });

  it('fails a broken expectation with the path of each difference and a line diff', async () => {
    const file = join(dir, 'broken.test.yaml');
    await writeFile(
      file,
      `pipeline: ${QUICKSTART}
tests:
  - name: expects the email to survive
    input:
      - { key: "7", value: { id: 7, name: Ann, email: ann@example.com, score: 1 } }
    expect:
      - value: { id: 7, name: Ann, email: ann@example.com, pipeline: quickstart }
  - name: still passes
    input:
      - { key: "8", value: { id: 8 } }
    expect:
      - valueIncludes: { pipeline: quickstart }
`,
    );
    const r = await runCommand(process.execPath, [CLI, 'test', file], { cwd: ROOT, env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn' }, timeoutMs: 60_000 });
    expect(r.code, r.output).toBe(1);
    expect(r.output).toContain(
      [
        `FAIL ${file}`,
        '  ✗ expects the email to survive',
        '    output[0].value.email: expected "ann@example.com", got ""',
        '    output[0].value (- expected, + produced):',
        '        {',
        '          "id": 7,',
        '          "name": "Ann",',
        '      -   "email": "ann@example.com",',
        '      +   "email": "",',
        '          "pipeline": "quickstart"',
        '        }',
        '  ✓ still passes',
      ].join('\n'),
    );
    expect(r.output).toContain('1 passed, 1 failed (1 file)');
  });

  it('reports missing and unexpected outputs, partial mismatches and wrong error expectations', async () => {
    const file = join(dir, 'mixed.test.yaml');
    await writeFile(
      file,
      `pipeline: ${QUICKSTART}
tests:
  - name: counts
    input:
      - { value: { id: 1 } }
    expect:
      - valueIncludes: { id: 1 }
      - valueIncludes: { id: 2 }
  - name: partial
    input:
      - { value: { id: 1, email: x } }
    expect:
      - valueIncludes: { email: x, extra: { deep: true } }
  - name: error expected but none
    input:
      - { value: { id: 1 } }
    expect:
      - { error: TRANSFORM_FAILED }
`,
    );
    const r = await test([file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('expected 2 output records, got 1:\n      output[0]: {"topic":"quickstart.users","key":null,"value":{"id":1,"pipeline":"quickstart"}}');
    expect(r.stdout).toContain('output[0].value.email: expected "x", got ""');
    expect(r.stdout).toContain('output[0].value.extra: missing field: expected {"deep":true}, got (absent)');
    expect(r.stdout).toContain('output[0].error: expected "TRANSFORM_FAILED", got (absent)');
    expect(r.stdout).toContain('0 passed, 3 failed (1 file)');
  });

  it('runs user transforms listed under plugins:, and finds the tests beside a pipeline', async () => {
    const pipeline = join(dir, 'upper.yaml');
    await writeFile(
      pipeline,
      `name: upper
plugins: [${UPPERCASE_PLUGIN}]
source: { connector: datagen }
transforms:
  - { type: uppercase, field: name }
topic: { name: people }
serializer: { format: json }
keySerializer: { format: string }
`,
    );
    await writeFile(
      join(dir, 'upper.test.yaml'),
      `pipeline: upper.yaml
tests:
  - name: upper-cases the name
    input: [{ key: k, value: { name: ann } }]
    expect: [{ topic: people, key: k, value: { name: ANN } }]
`,
    );
    const r = await test([pipeline]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('  ✓ upper-cases the name');
    expect(r.code).toBe(0);
  });

  it('tests an Avro pipeline with the embedded registry, in memory, reading the values back', async () => {
    const pipeline = join(dir, 'orders-avro.yaml');
    await writeFile(
      pipeline,
      `name: orders-avro
source: { connector: datagen, config: { kind: orders } }
transforms:
  - { type: timestamp-converter, field: ts, to: Timestamp }
topic: { name: orders }
serializer: { format: avro }
keySerializer: { format: string }
`,
    );
    await writeFile(
      join(dir, 'orders-avro.test.yaml'),
      `pipeline: orders-avro.yaml
tests:
  - name: an order round-trips through Avro
    input: [{ key: "1", value: { id: 1, status: NEW, ts: 1710072000000 } }]
    expect: [{ key: "1", value: { id: 1, status: NEW, ts: "2024-03-10T12:00:00.000Z" } }]
`,
    );
    const r = await test([pipeline]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('  ✓ an order round-trips through Avro');
    expect(r.code).toBe(0);
  });

  it('names the line of a mistake in a test file', async () => {
    const file = join(dir, 'typo.test.yaml');
    await writeFile(file, `pipeline: ${QUICKSTART}\ntests:\n  - name: typo\n    input: [{ value: 1 }]\n    expect: [{ vaule: 1 }]\n`);
    const r = await test([file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/typo\.test\.yaml:5:\d+: tests\[0\]\.expect\[0\]\.vaule: unknown field "vaule"\n$/);
  });

  it('fails a test whose pipeline does not load, naming the pipeline error', async () => {
    const pipeline = join(dir, 'bad.yaml');
    await writeFile(pipeline, 'name: bad\nsource: { connector: nope }\ntopic: { name: t }\n');
    await writeFile(join(dir, 'bad.test.yaml'), 'pipeline: bad.yaml\ntests:\n  - { name: x, input: [{ value: 1 }], expect: [] }\n');
    const r = await test([join(dir, 'bad.test.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${pipeline}:2:22: source.connector: unknown source connector "nope"`);
  });

  it.each([
    [[], TEST_USAGE],
    [['--watch'], 'test: unknown option "--watch"'],
  ])('is a usage error with %j', async (args, message) => {
    const r = await test(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('fails for a path that holds no tests', async () => {
    const r = await test([join(dir, 'missing.test.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no such file or folder');
  });
});
