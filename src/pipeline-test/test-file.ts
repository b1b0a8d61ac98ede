import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { formatPath, type PathSegment } from '../pipeline/error.ts';

/**
 * A pipeline test file (`<pipeline>.test.yaml` beside the pipeline): which pipeline, the environment
 * its `${env:...}` references see, the time its clock shows, and the cases.
 *
 * ```yaml
 * pipeline: quickstart.yaml          # relative to this file
 * env: { REGION: eu }
 * now: 2024-03-10T12:00:00Z
 * tests:
 *   - name: masks the email
 *     input:
 *       - { key: "7", value: { id: 7, email: a@b.c } }
 *     expect:
 *       - { topic: quickstart.users, valueIncludes: { email: "" } }
 * ```
 */
export interface TestFile {
  file: string;
  /** Absolute path of the pipeline under test. */
  pipeline: string;
  env: Record<string, string>;
  /** Epoch milliseconds the injected clock shows. */
  now: number;
  tests: TestCase[];
}

export interface TestCase {
  name: string;
  input: InputRecord[];
  expect: ExpectedRecord[];
}

export interface InputRecord {
  topic?: string;
  partition?: number;
  key?: unknown;
  value?: unknown;
  headers?: Record<string, string | null>;
  timestamp?: number | string;
}

/** Every field is optional: only what is given is checked. */
export interface ExpectedRecord {
  topic?: string;
  partition?: number;
  key?: unknown;
  value?: unknown;
  keyIncludes?: unknown;
  valueIncludes?: unknown;
  headers?: Record<string, string | null>;
  timestamp?: number | string;
  /** The record failed (dead letter): its error code, e.g. TRANSFORM_FAILED. */
  error?: string;
  /** With `error`: a regular expression the error message must match. */
  message?: string;
}

const scalarMap = { type: 'object', additionalProperties: { type: ['string', 'null'] } };
const time = { type: ['integer', 'string'] };

const inputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { topic: { type: 'string' }, partition: { type: 'integer', minimum: 0 }, key: {}, value: {}, headers: scalarMap, timestamp: time },
};

const expectSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    topic: { type: 'string' },
    partition: { type: 'integer', minimum: 0 },
    key: {},
    value: {},
    keyIncludes: {},
    valueIncludes: {},
    headers: scalarMap,
    timestamp: time,
    error: { type: 'string', minLength: 1 },
    message: { type: 'string', minLength: 1 },
  },
};

const fileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['pipeline', 'tests'],
  properties: {
    pipeline: { type: 'string', minLength: 1 },
    env: { type: 'object', additionalProperties: { type: 'string' } },
    now: time,
    tests: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'input', 'expect'],
        properties: { name: { type: 'string', minLength: 1 }, input: { type: 'array', minItems: 1, items: inputSchema }, expect: { type: 'array', items: expectSchema } },
      },
    },
  },
};

let validator: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined;

/** A problem with a test file itself, as `file:line:column: path: message`. */
export class TestFileError extends Error {}

/** Reads and checks a test file; throws TestFileError naming the line of every problem. */
export async function loadTestFile(path: string): Promise<TestFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TestFileError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e?.pos[0] ?? 0);
    throw new TestFileError(`${path}:${pos.line}:${pos.col}: ${(e?.message ?? 'invalid YAML').split('\n')[0]}`);
  }
  const data: unknown = doc.toJS();
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(fileSchema);
  if (!validator(data)) {
    const lines = (validator.errors ?? []).map((e) => describe(e, doc, lineCounter, path));
    throw new TestFileError([...new Set(lines)].join('\n'));
  }
  const raw = data as { pipeline: string; env?: Record<string, string>; now?: number | string; tests: TestCase[] };
  const now = raw.now === undefined ? Date.UTC(2024, 0, 1) : toMillis(raw.now);
  if (now === undefined) throw new TestFileError(`${path}: now: ${JSON.stringify(raw.now)} is not epoch milliseconds or an ISO-8601 time`);
  return { file: path, pipeline: resolve(dirname(path), raw.pipeline), env: raw.env ?? {}, now, tests: raw.tests };
}

export function toMillis(t: number | string): number | undefined {
  if (typeof t === 'number') return t;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function describe(e: ErrorObject, doc: ReturnType<typeof parseDocument>, lines: LineCounter, file: string): string {
  const segments: PathSegment[] = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') {
    const field = String((e.params as { additionalProperty: string }).additionalProperty);
    segments.push(field);
    message = `unknown field "${field}"`;
  }
  const node = doc.getIn(segments, true) as { range?: [number, number, number] } | undefined;
  const pos = node?.range === undefined ? { line: 1, col: 1 } : lines.linePos(node.range[0]);
  const where = formatPath(segments);
  return `${file}:${pos.line}:${pos.col}: ${where === '' ? '' : `${where}: `}${message}`;
}
