import { describe, expect, it } from 'vitest';
import type { TransformSpec } from '../../src/pipeline/types.ts';
import { TransformChain, createTransformChain, isPromiseLike, type TransformStage } from '../../src/runtime/transform-chain.ts';
import { systemClock } from '../../src/sdk/clock.ts';
import { TributaryError } from '../../src/sdk/errors.ts';
import { silentLogger } from '../../src/sdk/logger.ts';
import type { TributaryRecord } from '../../src/sdk/record.ts';
import { PluginRegistry } from '../../src/sdk/registry.ts';
import type { Predicate, Transform, TransformPlugin } from '../../src/sdk/transform.ts';
import { builtinPredicates, builtinTransforms } from '../../src/transforms/index.ts';

const record = (value: unknown = { n: 0 }, topic = 'orders'): TributaryRecord => ({ topic, key: null, value, headers: [] });

/** Appends `tag` to value.trail, so tests can see which stages ran and in what order. */
function tagger(tag: string, calls: string[] = []): Transform {
  return {
    apply: (r) => {
      calls.push(tag);
      const v = r.value as { trail?: string[] };
      return { ...r, value: { ...v, trail: [...(v.trail ?? []), tag] } };
    },
  };
}

function asyncTagger(tag: string): Transform {
  const sync = tagger(tag);
  return { apply: async (r) => sync.apply(r) };
}

const stage = (transform: Transform, extra: Partial<TransformStage> = {}): TransformStage => ({ transform, type: 'test', negate: false, ...extra });

const topicIs = (topic: string): Predicate => ({ test: (r) => r.topic === topic });

const trail = (out: unknown) => ((out as TributaryRecord).value as { trail?: string[] }).trail;

function syncResult(out: TributaryRecord | null | Promise<TributaryRecord | null>): TributaryRecord | null {
  expect(isPromiseLike(out)).toBe(false);
  return out as TributaryRecord | null;
}

describe('TransformChain', () => {
  it('returns the record itself, synchronously, when there are no stages', () => {
    const r = record();
    expect(new TransformChain([]).apply(r)).toBe(r);
  });

  it('runs stages in order on the sync fast path, without a Promise', () => {
    const chain = new TransformChain([stage(tagger('a')), stage(tagger('b')), stage(tagger('c'))]);
    expect(trail(syncResult(chain.apply(record())))).toEqual(['a', 'b', 'c']);
  });

  describe('predicates', () => {
    it.each<[string, boolean, string, string[]]>([
      ['holds', false, 'orders', ['a', 'guarded', 'b']],
      ['does not hold', false, 'audit', ['a', 'b']],
      ['holds, negated', true, 'orders', ['a', 'b']],
      ['does not hold, negated', true, 'audit', ['a', 'guarded', 'b']],
    ])('predicate %s (negate: %s)', (_case, negate, topic, expected) => {
      const chain = new TransformChain([stage(tagger('a')), stage(tagger('guarded'), { predicate: topicIs('orders'), negate }), stage(tagger('b'))]);
      expect(trail(syncResult(chain.apply(record({}, topic))))).toEqual(expected);
    });

    it('negate without a predicate changes nothing', () => {
      const chain = new TransformChain([stage(tagger('a'), { negate: true })]);
      expect(trail(chain.apply(record({})))).toEqual(['a']);
    });
  });

  describe('dropping', () => {
    it('stops at a stage that returns null; later stages never see the record', () => {
      const calls: string[] = [];
      const chain = new TransformChain([stage(tagger('a', calls)), stage({ apply: () => null }), stage(tagger('b', calls))]);
      expect(syncResult(chain.apply(record()))).toBeNull();
      expect(calls).toEqual(['a']);
    });

    it('filter with is-tombstone drops tombstones only', () => {
      const registry = new PluginRegistry();
      for (const p of [...builtinTransforms, ...builtinPredicates]) registry.register(p);
      const chain = createTransformChain([spec('filter', {}, { predicate: { type: 'is-tombstone', config: {} } })], registry, context);
      expect(chain.apply(record(null))).toBeNull();
      expect(chain.apply(record({ a: 1 }))).toEqual(record({ a: 1 }));
    });
  });

  describe('errors', () => {
    it('wraps a TRANSFORM_FAILED with the stage and keeps its code, details and cause', () => {
      const cause = new TributaryError('TRANSFORM_FAILED', 'masking "email" in record value: record value is a string', { details: { field: 'email' } });
      const chain = new TransformChain([
        stage(tagger('a')),
        stage(tagger('b')),
        stage({ apply: () => { throw cause; } }, { type: 'mask-field' }),
      ]);
      const err = thrown(() => chain.apply(record()));
      expect(err.code).toBe('TRANSFORM_FAILED');
      expect(err.message).toBe('transforms[2] (mask-field): masking "email" in record value: record value is a string');
      expect(err.cause).toBe(cause);
      expect(err.details).toEqual({ field: 'email', stage: 'transforms[2]', transform: 'mask-field' });
      expect(err.retriable).toBe(false);
    });

    it('turns any other throw into TRANSFORM_FAILED, using the stage path when known', () => {
      const chain = new TransformChain([stage({ apply: () => { throw new TypeError('x is not a function'); } }, { type: 'my-plugin', path: 'sinks[0].transforms[4]' })]);
      const err = thrown(() => chain.apply(record()));
      expect(err.code).toBe('TRANSFORM_FAILED');
      expect(err.message).toBe('sinks[0].transforms[4] (my-plugin): x is not a function');
      expect(err.cause).toBeInstanceOf(TypeError);
    });

    it('keeps the retriable flag of the original error', () => {
      const chain = new TransformChain([stage({ apply: () => { throw new TributaryError('SOURCE_FAILED', 'lookup service down'); } })]);
      const err = thrown(() => chain.apply(record()));
      expect(err.code).toBe('TRANSFORM_FAILED');
      expect(err.retriable).toBe(true);
    });

    it('names the predicate when a predicate throws', () => {
      const chain = new TransformChain([stage(tagger('a'), { type: 'mask-field', predicateType: 'has-header', predicate: { test: () => { throw new Error('boom'); } } })]);
      expect(thrown(() => chain.apply(record())).message).toBe('transforms[0] (mask-field) predicate has-header: boom');
    });

    it('rejects a transform that returns undefined', () => {
      const chain = new TransformChain([stage({ apply: () => undefined as unknown as null })]);
      expect(thrown(() => chain.apply(record())).message).toMatch(/transforms\[0\] \(test\): returned undefined/);
    });
  });

  describe('async transforms', () => {
    it('switches to a Promise at the first async stage and runs the rest after it', async () => {
      const chain = new TransformChain([stage(tagger('a')), stage(asyncTagger('b')), stage(tagger('c')), stage(asyncTagger('d'))]);
      const out = chain.apply(record());
      expect(isPromiseLike(out)).toBe(true);
      expect(trail(await out)).toEqual(['a', 'b', 'c', 'd']);
    });

    it('applies predicates after an async stage', async () => {
      const chain = new TransformChain([stage(asyncTagger('a')), stage(tagger('skipped'), { predicate: topicIs('audit') }), stage(tagger('c'))]);
      expect(trail(await chain.apply(record()))).toEqual(['a', 'c']);
    });

    it('drops when an async stage resolves null', async () => {
      const calls: string[] = [];
      const chain = new TransformChain([stage({ apply: async () => null }), stage(tagger('b', calls))]);
      expect(await chain.apply(record())).toBeNull();
      expect(calls).toEqual([]);
    });

    it.each([
      ['the async stage itself', [stage({ apply: async () => { throw new Error('nope'); } }, { type: 'lookup' })], 'transforms[0] (lookup): nope'],
      ['a sync stage after it', [stage(asyncTagger('a')), stage({ apply: () => { throw new Error('late'); } }, { type: 'late' })], 'transforms[1] (late): late'],
    ])('rejects with the stage when %s fails', async (_case, stages, message) => {
      const out = new TransformChain(stages).apply(record());
      await expect(out).rejects.toThrow(message);
      await expect(out).rejects.toMatchObject({ code: 'TRANSFORM_FAILED' });
    });
  });

  describe('close', () => {
    it('closes every transform, last first, even when one fails, then reports the first failure', async () => {
      const closed: string[] = [];
      const closer = (name: string, fail = false): Transform => ({
        apply: (r) => r,
        close: async () => {
          closed.push(name);
          if (fail) throw new Error(`${name} would not close`);
        },
      });
      const chain = new TransformChain([stage(closer('a')), stage(closer('b', true), { type: 'b' }), stage({ apply: (r) => r }), stage(closer('d'))]);
      await expect(chain.close()).rejects.toThrow('closing transforms[1] (b): b would not close');
      expect(closed).toEqual(['d', 'b', 'a']);
      await expect(chain.close()).rejects.toThrow();
      expect(closed).toHaveLength(3);
    });
  });
});

const context = { pipeline: 'test', logger: silentLogger, clock: systemClock };

function spec(type: string, config: Record<string, unknown>, extra: Partial<TransformSpec> = {}): TransformSpec {
  return { type, config, negate: false, path: '', ...extra };
}

function thrown(fn: () => unknown): TributaryError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TributaryError);
    return err as TributaryError;
  }
  throw new Error('nothing was thrown');
}

describe('createTransformChain', () => {
  const registry = () => {
    const r = new PluginRegistry();
    for (const p of [...builtinTransforms, ...builtinPredicates]) r.register(p);
    return r;
  };

  it('builds built-ins from pipeline entries, with their predicates', () => {
    const chain = createTransformChain(
      [
        { type: 'mask-field', config: { fields: ['email'], target: 'value' }, negate: false, path: 'transforms[0]' },
        { type: 'regex-router', config: { regex: 'cdc\\.(.*)', replacement: '$1' }, negate: true, path: 'transforms[1]', predicate: { type: 'topic-matches', config: { pattern: 'cdc\\.internal.*' } } },
        { type: 'insert-field', config: { topicField: 'source', target: 'value' }, negate: false, path: 'transforms[2]' },
      ],
      registry(),
      context,
    );
    expect(chain.size).toBe(3);
    expect(syncResult(chain.apply(record({ email: 'a@b' }, 'cdc.orders')))).toEqual(record({ email: '', source: 'orders' }, 'orders'));
    expect(syncResult(chain.apply(record({ email: 'a@b' }, 'cdc.internal.x')))).toEqual(record({ email: '', source: 'cdc.internal.x' }, 'cdc.internal.x'));
  });

  it('reports a bad record with the entry path from the pipeline file', () => {
    const chain = createTransformChain([spec('mask-field', { fields: ['email'] }, { path: 'sinks[1].transforms[0]' })], registry(), context);
    const err = thrown(() => chain.apply(record('not an object')));
    expect(err.message).toBe('sinks[1].transforms[0] (mask-field): masking "email" in record value: record value is a string, expected an object with fields');
    expect(err.code).toBe('TRANSFORM_FAILED');
  });

  it('fails with PLUGIN_NOT_FOUND naming the entry, and closes what it already built', async () => {
    const closed: string[] = [];
    const tracked: TransformPlugin = {
      spec: { name: 'tracked', kind: 'transform', summary: 'records close()', version: '1.0.0', config: {} },
      create: () => ({ apply: (r) => r, close: async () => void closed.push('tracked') }),
    };
    const r = registry().register(tracked);
    const err = thrown(() => createTransformChain([spec('tracked', {}, { path: 'transforms[0]' }), spec('mask-feild', {}, { path: 'transforms[1]' })], r, context));
    expect(err.code).toBe('PLUGIN_NOT_FOUND');
    expect(err.message).toMatch(/^creating transforms\[1\] \(mask-feild\): no transform plugin named "mask-feild" \(did you mean "mask-field"\?\)/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toEqual(['tracked']);
  });

  it('keeps the code of a plugin that rejects its config', () => {
    const err = thrown(() => createTransformChain([spec('regex-router', { regex: '(', replacement: 'x' }, { path: 'transforms[3]' })], registry(), context));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/^creating transforms\[3\] \(regex-router\): configuring regex-router:/);
  });
});
