import type { PluginContext } from './context.ts';
import type { TributaryRecord } from './record.ts';
import type { PluginSpec } from './spec.ts';

/**
 * A transform reshapes one record at a time (Kafka Connect's SMT). It returns the new record, or
 * `null` to drop it. It must not mutate its input: return a copy (`{ ...record, value }`), which also
 * keeps the source/sink fields of the record intact. Transforms run in both directions (source side
 * before serialization, sink side after deserialization), so they must only rely on
 * {@link TributaryRecord} fields.
 *
 * Errors: throw `TributaryError('TRANSFORM_FAILED', ...)` for a record the transform cannot handle
 * (wrong type, missing field). The runtime routes the record to the dead-letter topic or stops the
 * task, per `errors.tolerance`. Never throw for reasons unrelated to the record.
 */
export interface Transform {
  apply<R extends TributaryRecord>(record: R): R | null | Promise<R | null>;
  close?(): Promise<void>;
}

export interface TransformPlugin<Config = Record<string, unknown>> {
  spec: PluginSpec & { kind: 'transform' };
  create(ctx: PluginContext<Config>): Transform;
}

/** A condition on a record, used by `filter` and by any transform's `predicate:` field. */
export interface Predicate {
  test(record: TributaryRecord): boolean;
}

export interface PredicatePlugin<Config = Record<string, unknown>> {
  spec: PluginSpec & { kind: 'predicate' };
  create(ctx: PluginContext<Config>): Predicate;
}
