import { describe, expect, it } from 'vitest';
import { builtinPredicates, builtinTransforms } from '../../src/transforms/index.ts';

describe('registration arrays', () => {
  it('list every built-in once, with complete specs', () => {
    expect(builtinTransforms.map((p) => p.spec.name).sort()).toEqual([
      'cast',
      'drop-headers',
      'extract-field',
      'filter',
      'flatten',
      'header-from',
      'hoist-field',
      'insert-field',
      'insert-header',
      'mask-field',
      'parse-json',
      'parse-logfmt',
      'parse-nginx',
      'parse-regex',
      'parse-syslog',
      'regex-router',
      'replace-field',
      'timestamp-converter',
      'timestamp-router',
      'unwrap-cdc',
      'value-to-key',
    ]);
    expect(builtinPredicates.map((p) => p.spec.name).sort()).toEqual(['field-matches', 'has-header', 'is-tombstone', 'topic-matches']);
    for (const plugin of [...builtinTransforms, ...builtinPredicates]) {
      expect(plugin.spec.version).toBe('1.0.0');
      expect(plugin.spec.summary.length).toBeGreaterThan(10);
      expect(plugin.spec.config.additionalProperties).toBe(false);
      for (const [field, schema] of Object.entries(plugin.spec.config.properties ?? {})) {
        expect(schema.description, `${plugin.spec.name}.${field}`).toBeTruthy();
      }
    }
  });
});
