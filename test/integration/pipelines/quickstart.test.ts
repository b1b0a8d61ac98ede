import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSinkOutput, tempDir } from '../runtime/support.ts';

const CLI = new URL('../../../src/cli/tributary.js', import.meta.url).pathname;
const QUICKSTART = new URL('../../../pipelines/quickstart.yaml', import.meta.url).pathname;

function run(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

// The README's first command, on the embedded broker, from a fresh working directory.
describe('pipelines/quickstart.yaml', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('tributary-quickstart');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('runs end to end on the embedded broker, and a second run resumes without duplicating', async () => {
    const first = await run(dir.path, ['run', QUICKSTART, '--broker-port', '0']);
    expect(first.output).toContain('embedded broker listening on 127.0.0.1:');
    expect(first.output).toContain('pipeline quickstart: 1000 records produced; sink files: 1000 written by 2 workers');
    expect(first.code).toBe(0);
    const lines = await readFileSinkOutput(`${dir.path}/out/quickstart`);
    expect(lines).toHaveLength(1000);
    expect(new Set(lines.map((l) => l.value.id)).size).toBe(1000);
    for (const l of lines) {
      expect(l.topic).toBe('quickstart.users');
      expect(l.value.email).toBe('');
      expect(l.value.pipeline).toBe('quickstart');
      expect(l.value).not.toHaveProperty('score');
    }

    // Same data dir: the source position was committed with the records, so nothing is re-sent.
    const second = await run(dir.path, ['run', QUICKSTART, '--broker-port', '0']);
    expect(second.code).toBe(0);
    expect(second.output).toContain('pipeline quickstart: 0 records produced');
    expect(await readFileSinkOutput(`${dir.path}/out/quickstart`)).toHaveLength(1000);
  });
});
