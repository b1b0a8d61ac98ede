import { loadPipelineFile, formatPipelineError } from '../pipeline/load.ts';
import type { PipelineSpec, SerdeSpec } from '../pipeline/types.ts';
import { RecordCodec } from '../runtime/record-codec.ts';
import { compileTopicTemplate } from '../runtime/topic-template.ts';
import { createTransformChain, isPromiseLike, type TransformChain } from '../runtime/transform-chain.ts';
import type { Clock } from '../sdk/clock.ts';
import { TributaryError, errorMessage } from '../sdk/errors.ts';
import { silentLogger } from '../sdk/logger.ts';
import type { RecordHeader, TributaryRecord } from '../sdk/record.ts';
import { PluginRegistry } from '../sdk/registry.ts';
import type { Deserializer, Serializer } from '../sdk/serde.ts';
import type { ProduceRecord } from '../kafka/client.ts';
import { EmbeddedSchemaRegistry } from '../serde/registry/embedded-registry.ts';
import { MemorySchemaLog } from '../serde/registry/schema-log.ts';
import type { SerdeServices } from '../sdk/serde.ts';
import { compare, type Mismatch } from './match.ts';
import { toMillis, type ExpectedRecord, type InputRecord, type TestCase, type TestFile } from './test-file.ts';

/**
 * Runs a test file's cases through its pipeline's source side exactly as the runtime would, minus
 * Kafka: each input record gets the default topic, goes through the transform chain, then the key
 * and value serializers. What comes out is decoded for comparison: `json` is parsed as it is on the
 * wire (so `schemas: true` shows its envelope), `string` is text, and other formats (avro,
 * json-schema, bytes) are read back with their own deserializer, with dates as ISO-8601 strings and
 * bytes as base64. A serde asking for the embedded schema registry gets one in memory for the file.
 * A record the chain drops produces nothing; a record that fails (what the runtime would
 * dead-letter, or stop on under `errors.tolerance: none`) produces an error entry.
 */
export type Output =
  | { kind: 'record'; topic: string; partition?: number; key: unknown; value: unknown; headers: Record<string, string | null>; timestamp?: number }
  | { kind: 'error'; code: string; message: string; stage: 'transform' | 'serialize' };

export interface CaseResult {
  name: string;
  outputs: Output[];
  failures: Failure[];
}

export type Failure =
  | { kind: 'count'; expected: number; actual: number }
  | { kind: 'mismatch'; index: number; field: string; partial: boolean; mismatches: Mismatch[]; expected: unknown; actual: unknown };

export interface FileResult {
  file: string;
  pipeline: string;
  /** The pipeline could not be loaded or built; no case ran. */
  error?: string;
  cases: CaseResult[];
}

export async function runTestFile(test: TestFile, builtins: PluginRegistry): Promise<FileResult> {
  const registry = new PluginRegistry();
  for (const plugin of builtins.list()) registry.register(plugin);
  const result: FileResult = { file: test.file, pipeline: test.pipeline, cases: [] };
  const { spec, errors } = await loadPipelineFile(test.pipeline, { env: test.env, registry });
  if (spec === undefined || errors.length > 0) {
    result.error = `the pipeline does not load:\n${errors.map(formatPipelineError).join('\n')}`;
    return result;
  }
  const clock = fixedClock(test.now);
  const schemaRegistry = new MemoryRegistry();
  let chain: TransformChain;
  let serdes: Serdes;
  try {
    chain = createTransformChain(spec.transforms, registry, { pipeline: spec.name, logger: silentLogger, clock });
    serdes = createSerdes(spec, registry, clock, schemaRegistry.services);
  } catch (err) {
    await schemaRegistry.stop();
    result.error = `the pipeline does not build: ${errorMessage(err)}`;
    return result;
  }
  try {
    for (const c of test.tests) result.cases.push(await runCase(c, spec, chain, serdes));
  } finally {
    await chain.close().catch(() => undefined);
    await schemaRegistry.stop();
  }
  return result;
}

/** The embedded schema registry on a log in memory, started only if a serde asks for it. */
class MemoryRegistry {
  private started: Promise<EmbeddedSchemaRegistry> | undefined;
  readonly services: SerdeServices = {
    embeddedSchemaRegistry: async () => {
      this.started ??= EmbeddedSchemaRegistry.start({ log: new MemorySchemaLog(), logger: silentLogger });
      return (await this.started).url;
    },
  };

  async stop(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    await (await started?.catch(() => undefined))?.stop();
  }
}

interface Serdes {
  codec: RecordCodec;
  key: { format: string; de: Deserializer };
  value: { format: string; de: Deserializer };
}

async function runCase(c: TestCase, spec: PipelineSpec, chain: TransformChain, serdes: Serdes): Promise<CaseResult> {
  const defaultTopic = compileTopicTemplate(spec.topic.name);
  const outputs: Output[] = [];
  for (const input of c.input) {
    let record = toRecord(input);
    if (!record.topic) record = { ...record, topic: defaultTopic(record) };
    let transformed: TributaryRecord | null;
    try {
      const out = chain.apply(record);
      transformed = isPromiseLike(out) ? await out : out;
    } catch (err) {
      outputs.push(errorOutput(err, 'transform'));
      continue;
    }
    if (transformed === null) continue;
    let encoded: ProduceRecord;
    try {
      encoded = await serdes.codec.encode(transformed);
    } catch (err) {
      outputs.push(errorOutput(err, 'serialize'));
      continue;
    }
    outputs.push(await view(encoded, serdes));
  }
  return { name: c.name, outputs, failures: check(c.expect, outputs) };
}

function toRecord(input: InputRecord): TributaryRecord {
  const headers: RecordHeader[] = Object.entries(input.headers ?? {}).map(([key, value]) => ({ key, value }));
  const record: TributaryRecord = { topic: input.topic ?? '', key: input.key ?? null, value: input.value ?? null, headers };
  if (input.partition !== undefined) record.partition = input.partition;
  if (input.timestamp !== undefined) {
    const ms = toMillis(input.timestamp);
    if (ms === undefined) throw new TributaryError('CONFIG_INVALID', `input timestamp ${JSON.stringify(input.timestamp)} is not epoch milliseconds or ISO-8601`);
    record.timestamp = ms;
  }
  return record;
}

function errorOutput(err: unknown, stage: 'transform' | 'serialize'): Output {
  return { kind: 'error', code: err instanceof TributaryError ? err.code : 'INTERNAL', message: errorMessage(err), stage };
}

async function decode(bytes: Buffer | null, part: { format: string; de: Deserializer }, r: ProduceRecord, isKey: boolean): Promise<unknown> {
  if (bytes === null) return null;
  if (part.format === 'string') return bytes.toString('utf8');
  if (part.format === 'json') {
    const text = bytes.toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  try {
    return plain((await part.de.deserialize(bytes, { topic: r.topic, isKey, headers: r.headers ?? [] })).data);
  } catch (err) {
    return `(${part.format} bytes that do not read back: ${errorMessage(err)})`;
  }
}

/** Deserialized data in the shape a YAML expectation can state: dates as ISO-8601, bytes as base64. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

async function view(r: ProduceRecord, serdes: Serdes): Promise<Output> {
  const headers: Record<string, string | null> = {};
  for (const h of r.headers ?? []) headers[h.key] = h.value === null ? null : typeof h.value === 'string' ? h.value : h.value.toString('utf8');
  const key = await decode(r.key, serdes.key, r, true);
  const value = await decode(r.value, serdes.value, r, false);
  const out: Output = { kind: 'record', topic: r.topic, key, value, headers };
  if (r.partition !== undefined) out.partition = r.partition;
  if (r.timestamp !== undefined) out.timestamp = r.timestamp;
  return out;
}

function check(expected: ExpectedRecord[], outputs: Output[]): Failure[] {
  const failures: Failure[] = [];
  if (expected.length !== outputs.length) failures.push({ kind: 'count', expected: expected.length, actual: outputs.length });
  expected.forEach((e, index) => {
    const out = outputs[index];
    if (out === undefined) return;
    const add = (field: string, want: unknown, got: unknown, partial: boolean): void => {
      const mismatches = compare(want, got, `output[${index}].${field}`, partial);
      if (mismatches.length > 0) failures.push({ kind: 'mismatch', index, field, partial, mismatches, expected: want, actual: got });
    };
    if (e.error !== undefined) {
      add('error', e.error, out.kind === 'error' ? out.code : undefined, false);
      if (e.message !== undefined && out.kind === 'error' && !new RegExp(e.message).test(out.message)) add('message', `/${e.message}/`, out.message, false);
      return;
    }
    if (out.kind === 'error') {
      add('error', undefined, `${out.code}: ${out.message}`, false);
      return;
    }
    if (e.topic !== undefined) add('topic', e.topic, out.topic, false);
    if (e.partition !== undefined) add('partition', e.partition, out.partition, false);
    if ('key' in e) add('key', e.key, out.key, false);
    if ('value' in e) add('value', e.value, out.value, false);
    if (e.keyIncludes !== undefined) add('key', e.keyIncludes, out.key, true);
    if (e.valueIncludes !== undefined) add('value', e.valueIncludes, out.value, true);
    if (e.headers !== undefined) add('headers', e.headers, out.headers, true);
    if (e.timestamp !== undefined) add('timestamp', toMillis(e.timestamp), out.timestamp, false);
  });
  return failures;
}

function createSerdes(spec: PipelineSpec, registry: PluginRegistry, clock: Clock, services: SerdeServices): Serdes {
  const make = (s: SerdeSpec, isKey: boolean): { ser: Serializer; de: Deserializer } => {
    const plugin = registry.get('serde', s.format);
    const ctx = { config: s.config, isKey, pipeline: spec.name, logger: silentLogger, clock, baseDir: spec.origin.dir, services };
    return { ser: plugin.createSerializer(ctx), de: plugin.createDeserializer(ctx) };
  };
  const key = make(spec.keySerializer, true);
  const value = make(spec.serializer, false);
  return {
    codec: new RecordCodec({ key: key.ser, value: value.ser }, { key: key.de, value: value.de }),
    key: { format: spec.keySerializer.format, de: key.de },
    value: { format: spec.serializer.format, de: value.de },
  };
}

/** A clock stopped at `now`, so time-dependent transforms give the same output every run. */
function fixedClock(now: number): Clock {
  return { now: () => now, sleep: (_ms, signal) => (signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve()) };
}
