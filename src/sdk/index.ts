/**
 * The plugin API. This is the only framework module that code under connectors/ may import.
 */
export * from './clock.ts';
export * from './context.ts';
export * from './errors.ts';
export * from './json-text.ts';
export * from './json-line.ts';
export * from './logger.ts';
export * from './record.ts';
export * from './registry.ts';
export * from './schema.ts';
export * from './serde.ts';
export * from './sink.ts';
export * from './source.ts';
export * from './spec.ts';
export * from './transform.ts';
