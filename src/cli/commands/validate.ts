import { formatPipelineError } from '../../pipeline/error.ts';
import type { Env } from '../../pipeline/env.ts';
import { loadPipelineFile, SchemaChecker } from '../../pipeline/load.ts';
import { PluginRegistry } from '../../sdk/index.ts';
import { ExitCode } from '../io.ts';

/** A writable text stream; `process.stdout` is one. */
export interface TextSink {
  write(chunk: string): unknown;
}

export interface ValidateIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Variables for `${env:...}` references (the CLI passes `process.env`). */
  env: Env;
  /** Built-in plugins; user plugins named by each file are added to a per-file copy, not to this. */
  registry: PluginRegistry;
}

export const VALIDATE_USAGE = 'usage: tributary validate <pipeline.yaml>...';

/**
 * `tributary validate <file>...`: checks each pipeline file completely (YAML, schema, env references,
 * plugins and their config) without connecting to anything or constructing any plugin.
 *
 * Prints `ok <file>` on stdout for each valid file; for invalid ones every error on stderr, one per
 * line as `file:line:column: path: message`, then a one-line summary.
 * Returns the exit code: 0 all valid, 1 any invalid, 2 usage error (no files).
 */
export async function validateCommand(files: string[], io: ValidateIo): Promise<number> {
  if (files.length === 0) {
    io.stderr.write(`${VALIDATE_USAGE}\n`);
    return ExitCode.usage;
  }
  // validate takes no options; a dash argument is a mistyped option, not a file (write ./-x for that).
  const option = files.find((f) => f.startsWith('-'));
  if (option !== undefined) {
    io.stderr.write(`validate: unknown option "${option}"\n${VALIDATE_USAGE}\n`);
    return ExitCode.usage;
  }
  const checker = new SchemaChecker();
  let errorCount = 0;
  let invalidFiles = 0;
  for (const file of files) {
    // Each file gets its own registry so a plugin loaded by one file cannot make another file,
    // which does not list it, look valid.
    const result = await loadPipelineFile(file, { env: io.env, registry: copyRegistry(io.registry), checker });
    if (result.errors.length === 0) {
      io.stdout.write(`ok ${file}\n`);
      continue;
    }
    invalidFiles += 1;
    errorCount += result.errors.length;
    for (const e of result.errors) io.stderr.write(`${formatPipelineError(e)}\n`);
  }
  if (invalidFiles === 0) return ExitCode.ok;
  io.stderr.write(`${plural(errorCount, 'error')} in ${invalidFiles} of ${plural(files.length, 'file')}\n`);
  return ExitCode.failed;
}

function copyRegistry(registry: PluginRegistry): PluginRegistry {
  const copy = new PluginRegistry();
  for (const plugin of registry.list()) copy.register(plugin);
  return copy;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
