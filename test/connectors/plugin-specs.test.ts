import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { PluginRegistry, type ConfigSchema } from '../../src/sdk/index.ts';
import * as datagen from '../../connectors/datagen/index.ts';
import * as file from '../../connectors/file/index.ts';
import * as stdout from '../../connectors/stdout/index.ts';

const all = [...datagen.plugins, ...file.plugins, ...stdout.plugins];

describe('connector plugin specs', () => {
  it('register without conflicts under their documented names', () => {
    const registry = new PluginRegistry();
    for (const p of all) registry.register(p);
    expect(registry.names('source')).toEqual(['datagen', 'file']);
    expect(registry.names('sink')).toEqual(['file', 'stdout']);
  });

  for (const plugin of all) {
    const { spec } = plugin;
    describe(`${spec.kind} ${spec.name}`, () => {
      it('is a complete 1.0.0 spec', () => {
        expect(spec.version).toBe('1.0.0');
        expect(spec.summary.length).toBeGreaterThan(20);
        if (spec.kind === 'sink') expect(spec.delivery).toBe(spec.name === 'file' ? 'transactional' : 'at-least-once');
        expect(spec.config.type).toBe('object');
        expect(spec.config.additionalProperties).toBe(false);
      });

      // Required fields (a file source's globs) and optional blocks (multiline) have no sensible default.
      const optionalScalar = (name: string, prop: ConfigSchema): boolean => !(spec.config.required ?? []).includes(name) && prop.type !== 'object';

      it('describes every property and gives it a default', () => {
        const properties = Object.entries(spec.config.properties ?? {});
        expect(properties.length).toBeGreaterThan(0);
        for (const [name, prop] of properties) {
          expect(prop.description, name).toEqual(expect.any(String));
          if (optionalScalar(name, prop)) expect('default' in prop, `${name} has a default`).toBe(true);
        }
      });

      it('accepts its own defaults and rejects unknown fields', () => {
        const validate = new Ajv({ strict: true, useDefaults: true }).compile<Record<string, unknown>>(spec.config as ConfigSchema & object);
        const required = Object.fromEntries((spec.config.required ?? []).map((k) => [k, spec.config.properties?.[k]?.type === 'array' ? ['x'] : 'x']));
        const config: Record<string, unknown> = { ...required };
        expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
        const defaults = Object.fromEntries(Object.entries(spec.config.properties ?? {}).filter(([k, p]) => optionalScalar(k, p)).map(([k, p]) => [k, p.default]));
        expect(config).toEqual({ ...defaults, ...required });
        expect(validate({ notAField: 1 })).toBe(false);
      });
    });
  }
});
