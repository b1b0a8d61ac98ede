import type { TributaryRecord } from '../../src/sdk/record.ts';
import type { TransformPlugin } from '../../src/sdk/transform.ts';
import { pluginContext } from './plugin-context.ts';

/** A frozen record, so a transform that mutates its input fails the test. */
export const record = (value: unknown, extra: Partial<TributaryRecord> = {}): TributaryRecord =>
  Object.freeze({ topic: 't', key: null, value, headers: [], ...extra });

/** Builds the transform the way the loader does (config checked against its spec, defaults applied). */
export function transformOf<C>(plugin: TransformPlugin<C>, config: Record<string, unknown>) {
  return plugin.create(pluginContext<C>(plugin.spec, config));
}

/** Applies a transform that is synchronous and keeps the record, returning the output record. */
export function applied<C>(plugin: TransformPlugin<C>, config: Record<string, unknown>, input: TributaryRecord): TributaryRecord {
  const out = transformOf(plugin, config).apply(input);
  if (out === null || out instanceof Promise) throw new Error(`expected a record from ${plugin.spec.name}, got ${out === null ? 'null' : 'a Promise'}`);
  return out;
}
