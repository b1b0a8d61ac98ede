import { access, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatFileResult, summary } from '../../pipeline-test/report.ts';
import { runTestFile, type FileResult } from '../../pipeline-test/runner.ts';
import { TestFileError, loadTestFile } from '../../pipeline-test/test-file.ts';
import { errorMessage } from '../../sdk/errors.ts';
import type { PluginRegistry } from '../../sdk/registry.ts';
import { ExitCode } from '../io.ts';

export interface TestIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Built-in plugins; each pipeline's user plugins are added to a copy. */
  registry: PluginRegistry;
}

export const TEST_USAGE = 'usage: tributary test <file.test.yaml | pipeline.yaml | folder>...';

/**
 * `tributary test`: runs pipeline test files (see src/pipeline-test/test-file.ts) without a broker.
 * Arguments may be test files, pipelines (their `<name>.test.yaml` sibling runs) or folders (every
 * `*.test.yaml` in them). Prints a line per case and a readable diff per failure on stdout.
 * Returns 0 when every case passed, 1 when any failed or a file could not be run, 2 on usage errors.
 */
export async function testCommand(args: string[], io: TestIo): Promise<number> {
  if (args.length === 0) {
    io.stderr.write(`${TEST_USAGE}\n`);
    return ExitCode.usage;
  }
  const option = args.find((a) => a.startsWith('-'));
  if (option !== undefined) {
    io.stderr.write(`test: unknown option "${option}"\n${TEST_USAGE}\n`);
    return ExitCode.usage;
  }
  const files: string[] = [];
  let broken = 0;
  for (const arg of args) {
    try {
      files.push(...(await testFilesFor(arg)));
    } catch (err) {
      io.stderr.write(`${errorMessage(err)}\n`);
      broken++;
    }
  }
  const results: FileResult[] = [];
  for (const file of files) {
    try {
      const test = await loadTestFile(file);
      const result = await runTestFile(test, io.registry);
      results.push(result);
      io.stdout.write(`${formatFileResult(result)}\n`);
    } catch (err) {
      broken++;
      io.stderr.write(`${err instanceof TestFileError ? err.message : `${file}: ${errorMessage(err)}`}\n`);
    }
  }
  const s = summary(results);
  io.stdout.write(`\n${s.text}${broken > 0 ? `; ${broken} file${broken === 1 ? '' : 's'} could not be run` : ''}\n`);
  return s.failed === 0 && broken === 0 && files.length > 0 ? ExitCode.ok : ExitCode.failed;
}

async function testFilesFor(arg: string): Promise<string[]> {
  const st = await stat(arg).catch(() => undefined);
  if (st === undefined) throw new Error(`${arg}: no such file or folder`);
  if (st.isDirectory()) {
    const names = (await readdir(arg)).filter((n) => n.endsWith('.test.yaml') || n.endsWith('.test.yml')).sort();
    if (names.length === 0) throw new Error(`${arg}: no *.test.yaml files in this folder`);
    return names.map((n) => join(arg, n));
  }
  if (/\.test\.ya?ml$/.test(arg)) return [arg];
  const sibling = arg.replace(/\.ya?ml$/, '.test.yaml');
  if (sibling !== arg && (await access(sibling).then(() => true, () => false))) return [sibling];
  throw new Error(`${arg}: not a test file (*.test.yaml), and no ${sibling} beside it`);
}
