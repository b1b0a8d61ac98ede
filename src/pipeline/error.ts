import { TributaryError, type ErrorCode } from '../sdk/index.ts';

/**
 * One problem in a pipeline file, pinned to where the user has to look.
 *
 * Invariants: `line` and `column` are 1-based and point into the file as written (0/0 only for
 * problems with the file as a whole, such as an unreadable path). `path` names the node at that
 * position (`sinks[0].config.url`; empty for the document root). `message` never contains a
 * configuration value, so it is safe to print even when the value is a secret.
 */
export interface PipelineError {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  code: ErrorCode;
}

/** `pipelines/x.yaml:12:7: sinks[0].config.url: must be a string` (the path part is left out when empty). */
export function formatPipelineError(e: PipelineError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return e.path === '' ? `${where}: ${e.message}` : `${where}: ${e.path}: ${e.message}`;
}

/** Orders errors as they appear in the file, so output reads top to bottom. */
export function comparePipelineErrors(a: PipelineError, b: PipelineError): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path) || a.message.localeCompare(b.message);
}

/**
 * For callers that need an exception (the `run` command, tests): one TributaryError listing every
 * problem, coded after the first. `errors` must not be empty.
 */
export function pipelineErrorsToError(errors: readonly PipelineError[]): TributaryError {
  const first = errors[0];
  if (first === undefined) return new TributaryError('INTERNAL', 'loading pipeline: no errors to report');
  const lines = errors.map(formatPipelineError);
  const head = errors.length === 1 ? 'loading pipeline' : `loading pipeline: ${errors.length} problems`;
  return new TributaryError(first.code, `${head}:\n${lines.join('\n')}`, { details: { errors: errors.map((e) => ({ ...e })) } });
}

/** A JSON pointer segment list: numbers index arrays, strings name object keys. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `['sinks', 0, 'config', 'url']` -> `sinks[0].config.url`; odd keys are quoted: `topic.configs["retention.ms"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (PLAIN_KEY.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
