import { access, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import {
  closestName,
  errorMessage,
  loadPluginModule,
  TributaryError,
  type ErrorCode,
  type Plugin,
  type PluginKind,
  type PluginRegistry,
} from '../sdk/index.ts';
import { parseDuration } from './duration.ts';
import { interpolateEnv, type Env } from './env.ts';
import { comparePipelineErrors, formatPath, type PathSegment, type PipelineError } from './error.ts';
import { check, SchemaChecker, type DataOrigin } from './schema-check.ts';
import { fromPointer, toPlain, toPointer, type SourceMap } from './source-map.ts';
import type { PipelineSpec, SerdeSpec, SinkSpec, TransformSpec } from './types.ts';

// The loader's callers print its errors; they need not know which file defines them.
export { formatPipelineError, pipelineErrorsToError, type PipelineError } from './error.ts';
export type { Env } from './env.ts';
export { SchemaChecker } from './schema-check.ts';

export interface LoadOptions {
  /** Variables for `${env:...}` references. The CLI passes `process.env`; tests pass their own. */
  env: Env;
  /**
   * Plugins that names in the file resolve against. User plugins listed under `plugins:` are
   * registered into it, so the caller can construct them afterwards from the same registry.
   */
  registry: PluginRegistry;
  /** Folder that relative `plugins:` entries resolve against. Default: the pipeline file's folder. */
  baseDir?: string;
  /**
   * Compiled schemas to reuse. Compiling costs tens of milliseconds, so callers loading many files
   * (validate) share one; by default each load compiles its own.
   */
  checker?: SchemaChecker;
}

/** `spec` is present exactly when `errors` is empty. */
export interface LoadResult {
  spec?: PipelineSpec;
  errors: PipelineError[];
}

/** Reads and parses one pipeline file. Never throws for problems with the file: they are in `errors`. */
export async function loadPipelineFile(path: string, opts: LoadOptions): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { errors: [{ file: path, line: 0, column: 0, path: '', message: `cannot read file: ${readFailure(err)}`, code: 'CONFIG_INVALID' }] };
  }
  return parsePipeline(text, path, opts);
}

function readFailure(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return errorMessage(err);
}

/**
 * Parses the text of one pipeline file (`file` is only used to name it in errors and to find its
 * folder). Every problem found is reported, each at the line and column the user has to edit:
 * YAML syntax, env references, schema violations, unknown plugins and plugin config.
 */
export async function parsePipeline(text: string, file: string, opts: LoadOptions): Promise<LoadResult> {
  const baseDir = opts.baseDir ?? dirname(resolve(file));
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  // Syntax errors stop here: the tree around them is guesswork, and checking it would bury the
  // real problem under follow-on errors.
  const syntax: PipelineError[] = docs.flatMap((doc) =>
    doc.errors.map((e) => ({ file, ...at(e.pos[0]), path: '', message: firstLine(e.message), code: 'CONFIG_YAML_SYNTAX' as const })),
  );
  if (syntax.length > 0) return { errors: finish(syntax) };

  const doc = docs[0];
  if (doc === undefined || doc.contents === null) {
    return { errors: [{ file, line: 1, column: 1, path: '', message: 'the file is empty; expected a pipeline (name, source, topic, ...)', code: 'CONFIG_INVALID' }] };
  }
  const second = docs[1];
  if (second !== undefined) {
    return { errors: [{ file, ...at(second.range[0]), path: '', message: 'a pipeline file holds one pipeline, but this is a second YAML document', code: 'CONFIG_INVALID' }] };
  }

  const loader = new Loader(file, baseDir, opts);
  const plain = toPlain(doc, lineCounter, (s, segments) => loader.interpolate(s, segments));
  return loader.load(plain.value, plain.map, plain.problems);
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

function finish(errors: PipelineError[]): PipelineError[] {
  const seen = new Set<string>();
  return errors
    .filter((e) => {
      const id = `${e.line}:${e.column}:${e.path}:${e.message}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort(comparePipelineErrors);
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function omit(o: Obj, keys: readonly string[]): Obj {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

/** How each plugin kind is named in messages, after the YAML key that selects it. */
const KIND_LABEL: Record<PluginKind, string> = {
  source: 'source connector',
  sink: 'sink connector',
  transform: 'transform',
  predicate: 'predicate',
  serde: 'serializer format',
};

/** Keys of a flat transform entry that belong to the framework, not to the transform's config. */
const TRANSFORM_KEYS = ['type', 'predicate', 'negate'];

/** The state of one parse. Not reused across files. */
class Loader {
  private readonly errors: PipelineError[] = [];
  private map: SourceMap | undefined;
  /** Pointers of strings that were exactly one `${env:...}` reference (see `check`). */
  private readonly coercible = new Set<string>();
  /** Pointers already reported as bad env references: their schema errors would only repeat the news. */
  private readonly suppressed = new Set<string>();
  private readonly checker: SchemaChecker;
  /** Plugin configs checked separately from the tree (flat transform and serde entries), by entry pointer. */
  private readonly pluginConfigs = new Map<string, Obj>();
  /** Env problems found while the tree (and so the position map) is still being built. */
  private readonly pending: Array<{ segments: PathSegment[]; code: ErrorCode; message: string }> = [];

  constructor(
    private readonly file: string,
    private readonly baseDir: string,
    private readonly opts: LoadOptions,
  ) {
    this.checker = opts.checker ?? new SchemaChecker();
  }

  interpolate(text: string, segments: PathSegment[]): string {
    const r = interpolateEnv(text, this.opts.env);
    const pointer = toPointer(segments);
    for (const p of r.problems) this.pending.push({ segments, code: p.kind === 'missing' ? 'CONFIG_ENV_MISSING' : 'CONFIG_INVALID', message: p.message });
    if (r.problems.length > 0) this.suppressed.add(pointer);
    else if (r.wholeReference) this.coercible.add(pointer);
    return r.value;
  }

  /** Where data under the pointer `base` came from, for `check`. */
  private origin(base: string, reserved: readonly string[] = []): DataOrigin {
    return {
      coercible: (p) => this.coercible.has(base + p),
      written: (p) => this.map?.hasPointer(base + p) ?? false,
      extraFields: (p) => (p === '' ? reserved : []),
    };
  }

  private report(code: ErrorCode, segments: readonly PathSegment[], message: string, at: 'key' | 'value' = 'value'): void {
    const pos = this.map?.locate(segments, at) ?? { line: 1, column: 1 };
    this.errors.push({ file: this.file, line: pos.line, column: pos.column, path: formatPath(segments), message, code });
  }

  async load(value: unknown, map: SourceMap, problems: ReadonlyArray<{ segments: PathSegment[]; at: 'key' | 'value'; message: string }>): Promise<LoadResult> {
    this.map = map;
    for (const p of this.pending) this.report(p.code, p.segments, p.message);
    for (const p of problems) this.report('CONFIG_INVALID', p.segments, p.message, p.at);

    for (const issue of check(this.checker.pipeline(), value, this.origin(''))) {
      if (this.suppressed.has(issue.pointer)) continue;
      const segments = fromPointer(issue.pointer, value);
      const message = issue.pointer === '/version' && issue.message.startsWith('must be') ? 'unsupported version; this Tributary reads version 1' : issue.message;
      this.report('CONFIG_INVALID', segments, message, issue.at);
    }
    if (!isObject(value)) return { errors: finish(this.errors) };

    await this.loadUserPlugins(value.plugins);
    this.checkSource(value.source);
    this.checkTransforms(value.transforms, ['transforms']);
    this.checkSerde(value.serializer, ['serializer']);
    this.checkSerde(value.keySerializer, ['keySerializer']);
    this.checkSinks(value.sinks);
    this.checkErrors(value.errors);

    if (this.errors.length > 0) return { errors: finish(this.errors) };
    return { spec: this.build(value), errors: [] };
  }

  private async loadUserPlugins(refs: unknown): Promise<void> {
    if (!Array.isArray(refs)) return;
    const { registry } = this.opts;
    for (const [i, ref] of refs.entries()) {
      if (typeof ref !== 'string' || ref === '') continue;
      const missing = await missingModule(ref, this.baseDir);
      if (missing !== undefined) {
        this.report('PLUGIN_NOT_FOUND', ['plugins', i], missing);
        continue;
      }
      let loaded: Plugin[];
      try {
        loaded = await loadPluginModule(ref, this.baseDir);
      } catch (err) {
        const code = err instanceof TributaryError ? err.code : 'PLUGIN_LOAD_FAILED';
        this.report(code, ['plugins', i], firstLine(errorMessage(err)));
        continue;
      }
      for (const plugin of loaded) {
        const { kind, name } = plugin.spec;
        // Loading the same module again (a second file, a reload) yields the same object: fine.
        if (registry.has(kind, name)) {
          if (registry.get(kind, name) !== plugin) {
            this.report('PLUGIN_INVALID', ['plugins', i], `plugin "${ref}" defines a ${kind} named "${name}", but one with that name is already registered`);
          }
          continue;
        }
        registry.register(plugin);
      }
    }
  }

  /**
   * Resolves a plugin name and checks its config. Returns the plugin when the name resolves.
   * `config` is validated in place (defaults applied); undefined skips the config check, for
   * entries whose config is malformed already (the schema error has been reported). `reserved`
   * are the framework's keys of a flat entry, offered as did-you-mean hints for unknown fields.
   */
  private checkPlugin(
    kind: PluginKind,
    name: unknown,
    nameAt: PathSegment[],
    config: Obj | undefined,
    configAt: PathSegment[],
    reserved: readonly string[] = [],
  ): Plugin | undefined {
    if (typeof name !== 'string' || name === '' || this.suppressed.has(toPointer(nameAt))) return undefined;
    const { registry } = this.opts;
    if (!registry.has(kind, name)) {
      const known = registry.names(kind);
      const hint = closestName(name, known);
      const notes = [hint !== undefined ? `did you mean "${hint}"?` : known.length > 0 ? `known: ${known.join(', ')}` : 'none registered'];
      // A name the schema filled in is not on any line the user wrote; say where it came from.
      if (this.map?.hasPointer(toPointer(nameAt)) === false) notes.unshift('the default');
      this.report('PLUGIN_NOT_FOUND', nameAt, `unknown ${KIND_LABEL[kind]} "${name}" (${notes.join('; ')})`);
      return undefined;
    }
    const plugin = registry.get(kind, name) as Plugin;
    if (config === undefined) return plugin;
    let validate;
    try {
      validate = this.checker.plugin(plugin.spec.config);
    } catch (err) {
      this.report('PLUGIN_INVALID', nameAt, `${KIND_LABEL[kind]} "${name}" has an invalid config schema: ${firstLine(errorMessage(err))}`);
      return plugin;
    }
    const base = toPointer(configAt);
    for (const issue of check(validate, config, this.origin(base, reserved))) {
      if (this.suppressed.has(base + issue.pointer)) continue;
      this.report('CONFIG_INVALID', [...configAt, ...fromPointer(issue.pointer, config)], issue.message, issue.at);
    }
    return plugin;
  }

  private checkSource(source: unknown): void {
    if (!isObject(source)) return;
    this.checkPlugin('source', source.connector, ['source', 'connector'], isObject(source.config) ? source.config : undefined, ['source', 'config']);
  }

  private checkTransforms(list: unknown, at: PathSegment[]): void {
    if (!Array.isArray(list)) return;
    for (const [i, entry] of list.entries()) {
      if (!isObject(entry)) continue;
      const here = [...at, i];
      const config = omit(entry, TRANSFORM_KEYS);
      this.pluginConfigs.set(toPointer(here), config);
      this.checkPlugin('transform', entry.type, [...here, 'type'], config, here, TRANSFORM_KEYS);
      const predicate = entry.predicate;
      if (isObject(predicate)) {
        const predicateConfig = omit(predicate, ['type']);
        this.pluginConfigs.set(toPointer([...here, 'predicate']), predicateConfig);
        this.checkPlugin('predicate', predicate.type, [...here, 'predicate', 'type'], predicateConfig, [...here, 'predicate'], ['type']);
      } else if (entry.negate === true && predicate === undefined) {
        this.report('CONFIG_INVALID', [...here, 'negate'], 'negate needs a predicate to invert');
      }
    }
  }

  private checkSerde(serde: unknown, at: PathSegment[]): void {
    if (!isObject(serde)) return;
    const config = omit(serde, ['format']);
    this.pluginConfigs.set(toPointer(at), config);
    this.checkPlugin('serde', serde.format, [...at, 'format'], config, at, ['format']);
  }

  private checkSinks(sinks: unknown): void {
    if (!Array.isArray(sinks)) return;
    const firstByName = new Map<string, number>();
    for (const [i, sink] of sinks.entries()) {
      if (!isObject(sink)) continue;
      const here: PathSegment[] = ['sinks', i];
      if (typeof sink.name === 'string') {
        const first = firstByName.get(sink.name);
        if (first === undefined) firstByName.set(sink.name, i);
        else this.report('CONFIG_INVALID', [...here, 'name'], `duplicate sink name "${sink.name}" (already used by ${formatPath(['sinks', first])})`);
      }
      const plugin = this.checkPlugin('sink', sink.connector, [...here, 'connector'], isObject(sink.config) ? sink.config : undefined, [...here, 'config']);
      if (plugin !== undefined && plugin.spec.kind === 'sink' && sink.delivery === 'exactly-once') {
        const capability = plugin.spec.delivery ?? 'at-least-once';
        if (capability === 'at-least-once') {
          this.report('CONFIG_INVALID', [...here, 'delivery'], `sink connector "${plugin.spec.name}" is at-least-once only; it cannot deliver exactly-once`);
        }
      }
      this.checkTransforms(sink.transforms, [...here, 'transforms']);
    }
  }

  private checkErrors(errors: unknown): void {
    if (!isObject(errors)) return;
    if (errors.tolerance === 'all' && errors.deadLetterTopic === undefined) {
      // The architecture's promise: a failed record never vanishes. Without a dead-letter topic it would.
      this.report('CONFIG_INVALID', ['errors', 'tolerance'], 'tolerance "all" needs errors.deadLetterTopic, so failed records are kept');
    }
    const retry = errors.retry;
    if (isObject(retry)) {
      const initial = durationOrUndefined(retry.initialDelay);
      const max = durationOrUndefined(retry.maxDelay);
      if (initial !== undefined && max !== undefined && initial > max) {
        this.report('CONFIG_INVALID', ['errors', 'retry', 'initialDelay'], 'must not be longer than maxDelay');
      }
    }
  }

  /** Invariant: called only when no error was reported, so `data` conforms to the schema. */
  private build(data: Obj): PipelineSpec {
    const d = data as unknown as RawPipeline;
    const transforms = (list: RawTransform[], at: PathSegment[]): TransformSpec[] =>
      list.map((t, i) => {
        const here = [...at, i];
        const spec: TransformSpec = { type: t.type, config: this.configAt(here), negate: t.negate, path: formatPath(here) };
        if (t.predicate !== undefined) spec.predicate = { type: t.predicate.type, config: this.configAt([...here, 'predicate']) };
        return spec;
      });
    const serde = (at: 'serializer' | 'keySerializer'): SerdeSpec => ({ format: d[at].format, config: this.configAt([at]) });
    const sinks: SinkSpec[] = d.sinks.map((s, i) => ({
      name: s.name,
      connector: s.connector,
      workers: s.workers,
      group: s.group ?? `tributary-${d.name}-${s.name}`,
      topics: s.topics ?? [d.topic.name],
      delivery: s.delivery,
      transforms: transforms(s.transforms, ['sinks', i, 'transforms']),
      config: s.config,
      batchSize: s.batchSize,
      sessionTimeoutMs: parseDuration(s.sessionTimeout),
      path: formatPath(['sinks', i]),
    }));
    const spec: PipelineSpec = {
      version: 1,
      name: d.name,
      ...(d.kafka !== undefined ? { kafka: d.kafka } : {}),
      plugins: d.plugins,
      source: { connector: d.source.connector, delivery: d.source.delivery, config: d.source.config },
      transforms: transforms(d.transforms, ['transforms']),
      topic: { name: d.topic.name, partitions: d.topic.partitions, replicationFactor: d.topic.replicationFactor, configs: d.topic.configs },
      serializer: serde('serializer'),
      keySerializer: serde('keySerializer'),
      sinks,
      errors: {
        tolerance: d.errors.tolerance,
        ...(d.errors.deadLetterTopic !== undefined ? { deadLetterTopic: d.errors.deadLetterTopic } : {}),
        retry: {
          timeoutMs: parseDuration(d.errors.retry.timeout),
          initialDelayMs: parseDuration(d.errors.retry.initialDelay),
          maxDelayMs: parseDuration(d.errors.retry.maxDelay),
        },
      },
      origin: { file: this.file, dir: this.baseDir },
    };
    return spec;
  }

  private configAt(at: PathSegment[]): Obj {
    const config = this.pluginConfigs.get(toPointer(at));
    if (config === undefined) throw new TributaryError('INTERNAL', `building pipeline: no checked config for ${formatPath(at)}`);
    return config;
  }
}

/**
 * A clear message when a path reference names no file. Without this check the import error would
 * name absolute paths and the SDK's registry module ("imported from .../registry.ts"), which reads
 * as if the framework were broken. Package references are left to the resolver's own message.
 */
async function missingModule(ref: string, baseDir: string): Promise<string | undefined> {
  if (!ref.startsWith('.') && !isAbsolute(ref)) return undefined;
  try {
    await access(resolve(baseDir, ref));
    return undefined;
  } catch {
    return `no plugin module at "${ref}" (relative paths start from the pipeline file's folder)`;
  }
}

function durationOrUndefined(v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return parseDuration(v);
  } catch {
    return undefined;
  }
}

/** The YAML after schema validation and defaults: what `build` reads. Mirrors schema.ts. */
interface RawTransform {
  type: string;
  negate: boolean;
  predicate?: { type: string };
}

interface RawPipeline {
  name: string;
  kafka?: PipelineSpec['kafka'];
  plugins: string[];
  source: { connector: string; delivery: 'exactly-once' | 'at-least-once'; config: Obj };
  transforms: RawTransform[];
  topic: PipelineSpec['topic'];
  serializer: { format: string };
  keySerializer: { format: string };
  sinks: Array<{
    name: string;
    connector: string;
    workers: number;
    group?: string;
    topics?: string[];
    delivery: SinkSpec['delivery'];
    transforms: RawTransform[];
    config: Obj;
    batchSize: number;
    sessionTimeout: string | number;
  }>;
  errors: {
    tolerance: 'none' | 'all';
    deadLetterTopic?: string;
    retry: { timeout: string | number; initialDelay: string | number; maxDelay: string | number };
  };
}
