import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TributaryError, errorMessage } from './errors.ts';
import type { SerdePlugin } from './serde.ts';
import type { SinkPlugin } from './sink.ts';
import type { SourcePlugin } from './source.ts';
import type { PluginKind } from './spec.ts';
import type { PredicatePlugin, TransformPlugin } from './transform.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- plugins are registered with their own
   Config type; the registry stores them erased and the runtime validates config against the spec
   before constructing, so `any` here is the erasure point, not a hole. */
export type Plugin = SourcePlugin<any> | SinkPlugin<any> | TransformPlugin<any> | PredicatePlugin<any> | SerdePlugin<any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface PluginByKind {
  source: SourcePlugin;
  sink: SinkPlugin;
  transform: TransformPlugin;
  predicate: PredicatePlugin;
  serde: SerdePlugin;
}

/** Plugins by kind and name. Built-ins are registered explicitly (see src/builtins.ts); user plugins are loaded by reference. */
export class PluginRegistry {
  private readonly plugins = new Map<PluginKind, Map<string, Plugin>>();

  register(plugin: Plugin): this {
    assertPluginShape(plugin, plugin?.spec?.name ?? '(unnamed)');
    const byName = this.plugins.get(plugin.spec.kind) ?? new Map<string, Plugin>();
    if (byName.has(plugin.spec.name)) {
      throw new TributaryError('PLUGIN_INVALID', `registering plugin: a ${plugin.spec.kind} named "${plugin.spec.name}" is already registered`);
    }
    byName.set(plugin.spec.name, plugin);
    this.plugins.set(plugin.spec.kind, byName);
    return this;
  }

  has(kind: PluginKind, name: string): boolean {
    return this.plugins.get(kind)?.has(name) ?? false;
  }

  /** Throws PLUGIN_NOT_FOUND naming the closest registered name. */
  get<K extends PluginKind>(kind: K, name: string): PluginByKind[K] {
    const plugin = this.plugins.get(kind)?.get(name);
    if (plugin === undefined) {
      const hint = closestName(name, this.names(kind));
      throw new TributaryError('PLUGIN_NOT_FOUND', `no ${kind} plugin named "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${this.names(kind).join(', ') || 'none'}`);
    }
    return plugin as unknown as PluginByKind[K];
  }

  names(kind: PluginKind): string[] {
    return [...(this.plugins.get(kind)?.keys() ?? [])].sort();
  }

  list(): Plugin[] {
    return [...this.plugins.values()].flatMap((m) => [...m.values()]);
  }
}

function assertPluginShape(plugin: unknown, ref: string): asserts plugin is Plugin {
  const p = plugin as Partial<Plugin> | undefined;
  const spec = p?.spec;
  const kinds: PluginKind[] = ['source', 'sink', 'transform', 'predicate', 'serde'];
  if (!spec || typeof spec.name !== 'string' || !kinds.includes(spec.kind) || typeof spec.version !== 'string' || typeof spec.config !== 'object') {
    throw new TributaryError('PLUGIN_INVALID', `loading plugin ${ref}: export has no valid spec (need name, kind, version, summary, config)`);
  }
  const factory = { source: 'createTask', sink: 'createTask', transform: 'create', predicate: 'create', serde: 'createSerializer' }[spec.kind];
  if (typeof (p as Record<string, unknown>)[factory] !== 'function') {
    throw new TributaryError('PLUGIN_INVALID', `loading plugin ${ref}: a ${spec.kind} plugin must export ${factory}()`);
  }
}

/**
 * Loads user plugins named in a pipeline's `plugins:` list. A reference starting with `.` or `/` is a
 * path relative to the pipeline file's folder; anything else is an npm package resolved from there.
 * The module's default export (or its `plugins` export) is a plugin or an array of plugins.
 */
export async function loadPluginModule(ref: string, baseDir: string): Promise<Plugin[]> {
  let url: string;
  try {
    if (ref.startsWith('.') || isAbsolute(ref)) {
      url = pathToFileURL(resolve(baseDir, ref)).href;
    } else {
      url = pathToFileURL(createRequire(resolve(baseDir, 'package.json')).resolve(ref)).href;
    }
  } catch (err) {
    throw new TributaryError('PLUGIN_NOT_FOUND', `resolving plugin "${ref}" from ${baseDir}: ${errorMessage(err)}`, { cause: err });
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw new TributaryError('PLUGIN_LOAD_FAILED', `loading plugin "${ref}": ${errorMessage(err)}`, { cause: err });
  }
  const exported = mod.plugins ?? mod.default;
  const list = Array.isArray(exported) ? exported : [exported];
  for (const p of list) assertPluginShape(p, `"${ref}"`);
  return list as Plugin[];
}

/** Levenshtein-closest candidate within a distance proportional to the word, for did-you-mean hints. */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
