import { describe, expect, it } from 'vitest';
import { builtinSerdes } from '../../src/serde/index.ts';

describe('builtinSerdes', () => {
  it('lists json, string, bytes, avro and json-schema with complete specs', () => {
    expect(builtinSerdes.map((s) => s.spec.name).sort()).toEqual(['avro', 'bytes', 'json', 'json-schema', 'string']);
    for (const serde of builtinSerdes) {
      expect(serde.spec.kind).toBe('serde');
      expect(serde.spec.version).toBe('1.0.0');
      expect(serde.spec.config.additionalProperties).toBe(false);
      for (const [field, schema] of Object.entries(serde.spec.config.properties ?? {})) {
        expect(schema.description, `${serde.spec.name}.${field}`).toBeTruthy();
        expect(schema.default, `${serde.spec.name}.${field}`).toBeDefined();
      }
    }
  });
});
