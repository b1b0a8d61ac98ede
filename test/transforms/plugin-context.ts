import { Ajv } from 'ajv';
import { expect } from 'vitest';
import { systemClock } from '../../src/sdk/clock.ts';
import type { PluginContext } from '../../src/sdk/context.ts';
import { TributaryError, type ErrorCode } from '../../src/sdk/errors.ts';
import { silentLogger } from '../../src/sdk/logger.ts';
import type { PluginSpec } from '../../src/sdk/spec.ts';

/**
 * Builds a plugin context the way the pipeline loader does: the config is validated against the
 * plugin's own spec (so a spec that is not valid JSON Schema, or a default that breaks it, fails the
 * test) and defaults are filled in.
 */
export function pluginContext<C>(spec: PluginSpec, config: Record<string, unknown> = {}): PluginContext<C> {
  const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile({ ...spec.config, additionalProperties: false });
  const copy = structuredClone(config);
  if (!validate(copy)) throw new Error(`config rejected by ${spec.name}'s spec: ${ajv.errorsText(validate.errors)}`);
  return { config: copy as C, pipeline: 'test', logger: silentLogger, clock: systemClock };
}

/** Whether a config passes the plugin's JSON Schema, for tests of the schema itself. */
export function configAccepted(spec: PluginSpec, config: Record<string, unknown>): boolean {
  const ajv = new Ajv({ useDefaults: true, strict: true, allowUnionTypes: true });
  return ajv.validate({ ...spec.config, additionalProperties: false }, structuredClone(config)) as boolean;
}

/** Runs `fn` and returns the TributaryError it throws, failing the test on anything else. */
export function thrownBy(fn: () => unknown): TributaryError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TributaryError);
    return err as TributaryError;
  }
  throw new Error('expected a TributaryError, nothing was thrown');
}

export function expectFailure(fn: () => unknown, code: ErrorCode, message: RegExp | string): TributaryError {
  const err = thrownBy(fn);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
  return err;
}
