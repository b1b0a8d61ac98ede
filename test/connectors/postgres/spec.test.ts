import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { plugins, postgresSink } from '../../../connectors/postgres/index.ts';
import { POSTGRES_SINK_DEFAULTS, resolvePostgresSinkConfig } from '../../../connectors/postgres/config.ts';
import { PluginRegistry, type ConfigSchema } from '../../../src/sdk/index.ts';

describe('postgres sink spec', () => {
  const { spec } = postgresSink;

  it('registers as the transactional sink named postgres', () => {
    const registry = new PluginRegistry();
    for (const p of plugins) registry.register(p);
    expect(registry.names('sink')).toEqual(['postgres']);
    expect(spec.delivery).toBe('transactional');
    expect(spec.version).toBe('1.0.0');
  });

  it('describes every field, defaults each, and marks credentials secret', () => {
    const properties = spec.config.properties ?? {};
    for (const [name, prop] of Object.entries(properties)) {
      expect(prop.description, name).toEqual(expect.any(String));
      expect('default' in prop, `${name} has a default`).toBe(true);
    }
    const secrets = Object.entries(properties).filter(([, p]) => p.secret === true).map(([n]) => n);
    expect(secrets.sort()).toEqual(['password', 'url']);
  });

  it('accepts its defaults (equal to the resolved config) and rejects unknown fields and bad values', () => {
    const ajv = new Ajv({ strict: true, useDefaults: true });
    // Tributary's credential marker, as the pipeline loader registers it.
    ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
    const validate = ajv.compile<Record<string, unknown>>(spec.config as ConfigSchema & object);
    const config: Record<string, unknown> = {};
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(config).toEqual({ ...POSTGRES_SINK_DEFAULTS, primaryKey: [] });
    expect(resolvePostgresSinkConfig({})).toEqual(config);
    expect(validate({ tabel: 'x' })).toBe(false);
    expect(validate({ mode: 'merge' })).toBe(false);
    expect(validate({ primaryKey: ['id', 'id'] })).toBe(false);
  });
});
