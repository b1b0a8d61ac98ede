import type { Clock } from '../sdk/clock.ts';
import { TributaryError, errorMessage, isRetriable } from '../sdk/errors.ts';
import type { Logger } from '../sdk/logger.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { PluginRegistry } from '../sdk/registry.ts';
import type { Predicate, Transform } from '../sdk/transform.ts';
import type { TransformSpec } from '../pipeline/types.ts';

/** One entry of a chain: an already-constructed transform and the predicate that guards it. */
export interface TransformStage {
  transform: Transform;
  /** Registry name of the transform, for error messages, e.g. `mask-field`. */
  type: string;
  /** When set, the transform runs only for records where `predicate.test(record) !== negate`. */
  predicate?: Predicate;
  /** Registry name of the predicate, for error messages. */
  predicateType?: string;
  negate: boolean;
  /** Where the entry sits in the pipeline file, e.g. `sinks[0].transforms[2]`. Default `transforms[<index>]`. */
  path?: string;
}

/** `transforms[2] (mask-field)`: how errors name a stage. */
function stageLabel(stage: TransformStage, index: number): string {
  return `${stage.path ?? `transforms[${index}]`} (${stage.type})`;
}

type Outcome<R> = R | null | Promise<R | null>;

/**
 * Kafka Connect's TransformationChain: runs a record through transforms in order. A transform returning
 * null drops the record and later transforms do not see it.
 *
 * Sync fast path: `apply` returns a plain value (or throws) as long as every transform does, and only
 * switches to a Promise from the first transform that returns one. Callers therefore handle both:
 * `const out = chain.apply(r); const record = isPromiseLike(out) ? await out : out;`. A failure is
 * thrown synchronously on the sync path and rejects the Promise on the async one.
 *
 * Errors: anything a transform or predicate throws is rethrown as a TributaryError with code
 * TRANSFORM_FAILED (so the runtime dead-letters the record under `errors.tolerance: all`), a message
 * naming the stage (`transforms[2] (mask-field): masking "email" in record value: ...`), the original
 * as `cause`, and the original's `retriable` flag.
 *
 * Invariant: the chain never mutates records; each transform returns a copy (the Transform contract).
 * Stages run strictly in order for one record; the chain holds no per-record state, so records may
 * be applied concurrently when every transform allows it.
 */
export class TransformChain {
  private readonly stages: readonly TransformStage[];
  private readonly labels: readonly string[];
  private closing: Promise<void> | undefined;

  constructor(stages: readonly TransformStage[]) {
    this.stages = [...stages];
    this.labels = this.stages.map(stageLabel);
  }

  get size(): number {
    return this.stages.length;
  }

  apply<R extends TributaryRecord>(record: R): Outcome<R> {
    let current = record;
    for (let i = 0; i < this.stages.length; i++) {
      const stage = this.stages[i] as TransformStage;
      if (stage.predicate !== undefined && !this.guardHolds(stage, i, current)) continue;
      let out: Outcome<R>;
      try {
        out = stage.transform.apply(current);
      } catch (err) {
        throw this.stageError(i, err);
      }
      if (isPromiseLike(out)) return this.continueAsync(out, i);
      if (out === null) return null;
      if (out === undefined) throw this.stageError(i, new Error('returned undefined; return the record, or null to drop it'));
      current = out;
    }
    return current;
  }

  /** The rest of `apply` once a transform has gone async: awaits each stage from `index` on. */
  private async continueAsync<R extends TributaryRecord>(pending: Promise<R | null>, index: number): Promise<R | null> {
    let current: R | null;
    try {
      current = await pending;
    } catch (err) {
      throw this.stageError(index, err);
    }
    for (let i = index; ; ) {
      if (current === null) return null;
      if (current === undefined) throw this.stageError(i, new Error('returned undefined; return the record, or null to drop it'));
      if (++i >= this.stages.length) return current;
      const stage = this.stages[i] as TransformStage;
      if (stage.predicate !== undefined && !this.guardHolds(stage, i, current)) continue;
      try {
        current = await stage.transform.apply(current);
      } catch (err) {
        throw this.stageError(i, err);
      }
    }
  }

  private guardHolds(stage: TransformStage, index: number, record: TributaryRecord): boolean {
    try {
      return (stage.predicate as Predicate).test(record) !== stage.negate;
    } catch (err) {
      throw this.stageError(index, err, `predicate ${stage.predicateType ?? ''}`.trimEnd());
    }
  }

  private stageError(index: number, err: unknown, part?: string): TributaryError {
    const label = this.labels[index] ?? `transforms[${index}]`;
    const stage = this.stages[index];
    const inner = err instanceof TributaryError ? err.details : {};
    return new TributaryError('TRANSFORM_FAILED', `${label}${part ? ` ${part}` : ''}: ${errorMessage(err)}`, {
      cause: err,
      retriable: isRetriable(err),
      details: { ...inner, stage: stage?.path ?? `transforms[${index}]`, transform: stage?.type },
    });
  }

  /**
   * Closes every transform, last first (the reverse of construction), even when some fail; then
   * throws the first failure. Safe to call more than once: later calls wait for the first.
   */
  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    let first: TributaryError | undefined;
    for (let i = this.stages.length - 1; i >= 0; i--) {
      const stage = this.stages[i] as TransformStage;
      try {
        await stage.transform.close?.();
      } catch (err) {
        first ??= new TributaryError(err instanceof TributaryError ? err.code : 'INTERNAL', `closing ${this.labels[i]}: ${errorMessage(err)}`, { cause: err });
      }
    }
    if (first !== undefined) throw first;
  }
}

/** True for Promises and other thenables; how callers of {@link TransformChain.apply} detect the async path. */
export function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export interface TransformChainContext {
  pipeline: string;
  logger: Logger;
  clock: Clock;
}

/**
 * Builds a chain from pipeline transform entries. Config is passed through as is: the pipeline
 * loader has already validated it against each plugin's spec and applied defaults. A plugin that
 * is not registered, or whose `create` throws, fails the whole chain, after the transforms already
 * created are closed.
 */
export function createTransformChain(specs: readonly TransformSpec[], registry: PluginRegistry, ctx: TransformChainContext): TransformChain {
  const stages: TransformStage[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as TransformSpec;
    const path = spec.path || `transforms[${i}]`;
    try {
      const logger = ctx.logger.child({ transform: path });
      const transform = registry.get('transform', spec.type).create({ config: spec.config, pipeline: ctx.pipeline, logger, clock: ctx.clock });
      const stage: TransformStage = { transform, type: spec.type, negate: spec.negate, path };
      if (spec.predicate !== undefined) {
        stage.predicate = registry.get('predicate', spec.predicate.type).create({ config: spec.predicate.config, pipeline: ctx.pipeline, logger, clock: ctx.clock });
        stage.predicateType = spec.predicate.type;
      }
      stages.push(stage);
    } catch (err) {
      // A chain that never existed cannot be closed by its owner, so release what was built here.
      new TransformChain(stages).close().catch((closeErr: unknown) => {
        ctx.logger.warn({ err: closeErr }, 'closing transforms after a failed chain construction');
      });
      const code = err instanceof TributaryError ? err.code : 'PLUGIN_INVALID';
      throw new TributaryError(code, `creating ${path} (${spec.type}): ${errorMessage(err)}`, { cause: err });
    }
  }
  return new TransformChain(stages);
}
