import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { builtinPlugins, createBuiltinRegistry } from '../src/builtins.ts';
import type { ConfigSchema } from '../src/sdk/index.ts';

// Every built-in must be describable by `tributary plugins` and checkable by `tributary validate`.
describe('built-in plugins', () => {
  const registry = createBuiltinRegistry();

  it('register without name conflicts, connectors under their documented names', () => {
    expect(registry.names('source')).toEqual(['datagen', 'file', 'mysql-binlog', 'syslog']);
    expect(registry.names('sink')).toEqual(['file', 'kafka', 'postgres', 'stdout']);
    expect(registry.names('serde')).toEqual(expect.arrayContaining(['avro', 'bytes', 'json', 'json-schema', 'string']));
  });

  for (const { spec } of builtinPlugins) {
    it(`${spec.kind} ${spec.name}: a complete spec whose config schema compiles`, () => {
      expect(spec.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(spec.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(spec.summary.length).toBeGreaterThan(10);
      expect(spec.config.type).toBe('object');
      for (const [field, prop] of Object.entries(spec.config.properties ?? {})) {
        expect((prop as ConfigSchema).description, `${spec.name}.${field} has a description`).toEqual(expect.any(String));
      }
      const ajv = new Ajv({ strict: false, useDefaults: true });
      ajv.addKeyword('secret');
      expect(() => ajv.compile({ ...spec.config, additionalProperties: spec.config.additionalProperties ?? false })).not.toThrow();
      if (spec.kind === 'sink') expect(['transactional', 'idempotent', 'at-least-once']).toContain(spec.delivery ?? 'at-least-once');
    });
  }
});
