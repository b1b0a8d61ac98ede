import { describe, expect, it } from 'vitest';
import { loadPipelineFile } from '../../src/pipeline/load.ts';
import { REDACTED, redactConfig, redactPipeline } from '../../src/pipeline/redact.ts';
import { PluginRegistry, type ConfigSchema } from '../../src/sdk/index.ts';
import { createFixtureRegistry } from '../fixtures/plugins/fixture-registry.ts';
import { fixture } from './helpers.ts';

describe('redactConfig', () => {
  const schema: ConfigSchema = {
    type: 'object',
    properties: {
      user: { type: 'string' },
      password: { type: 'string', secret: true },
      nested: { type: 'object', properties: { apiKey: { type: 'string', secret: true }, region: { type: 'string' } } },
      accounts: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, token: { type: 'string', secret: true } } } },
      headers: { type: 'object', additionalProperties: { type: 'string', secret: true } },
      whole: { type: 'object', secret: true },
      either: { anyOf: [{ type: 'object', properties: { pin: { type: 'integer', secret: true } } }, { type: 'string' }] },
    },
  };

  it('replaces secret values at any depth and leaves the rest', () => {
    const config = {
      user: 'alice',
      password: 'p@ss',
      nested: { apiKey: 'k', region: 'eu' },
      accounts: [{ name: 'a', token: 't1' }, { name: 'b', token: 't2' }],
      headers: { Authorization: 'Bearer x' },
      whole: { a: 1 },
      either: { pin: 1234 },
      undeclared: 'kept',
    };
    const before = structuredClone(config);
    expect(redactConfig(config, schema)).toEqual({
      user: 'alice',
      password: REDACTED,
      nested: { apiKey: REDACTED, region: 'eu' },
      accounts: [{ name: 'a', token: REDACTED }, { name: 'b', token: REDACTED }],
      headers: { Authorization: REDACTED },
      whole: REDACTED,
      either: { pin: REDACTED },
      undeclared: 'kept',
    });
    expect(config).toEqual(before);
  });

  it('leaves absent and null secrets alone: they reveal nothing', () => {
    expect(redactConfig({ password: null }, schema)).toEqual({ password: null });
    expect(redactConfig({}, schema)).toEqual({});
  });
});

describe('redactPipeline', () => {
  it('redacts plugin secrets, kafka credentials, and everything of an unknown plugin', async () => {
    const registry = createFixtureRegistry();
    const env = { TEST_KAFKA_CA: 'ca-pem', TEST_KAFKA_KEY: 'key-pem', TEST_KAFKA_PASSWORD: 'kafka-pw', TEST_TOKEN: 'tok', TEST_PG_PASSWORD: 'pg-pw' };
    const { spec } = await loadPipelineFile(fixture('pipeline-valid-full.yaml'), { env, registry });
    if (spec === undefined) throw new Error('fixture should load');
    const safe = redactPipeline(spec, registry);
    const printed = JSON.stringify(safe);
    for (const secret of ['key-pem', 'kafka-pw', 'tok', 'pg-pw']) expect(printed).not.toContain(`"${secret}"`);
    expect(safe.kafka?.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'shop', password: REDACTED });
    expect(safe.kafka?.ssl).toEqual({ ca: 'ca-pem', key: REDACTED });
    expect(safe.source.config).toEqual({ rate: 25, token: REDACTED, shape: 'square' });
    expect(safe.sinks[0]?.config).toEqual({ url: 'postgres://localhost/shop', password: REDACTED, mode: 'upsert' });
    // The input is untouched: the runtime still needs the real values.
    expect(spec.sinks[0]?.config.password).toBe('pg-pw');

    // Against a registry that does not know the plugins, nothing is assumed harmless.
    const blind = redactPipeline(spec, new PluginRegistry());
    expect(blind.source.config).toEqual({ rate: REDACTED, token: REDACTED, shape: REDACTED });
    expect(blind.transforms[0]?.predicate?.config).toEqual({ pattern: REDACTED });
  });
});
