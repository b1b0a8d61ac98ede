/**
 * Plugin specifications. A plugin declares what it is (its spec) separately from how it behaves (its
 * factory), so `tributary plugins` and `tributary validate` can describe and check configuration
 * without constructing anything.
 */

/** A JSON Schema (draft-07, as ajv checks it) describing a plugin's `config` object. */
export interface ConfigSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, ConfigSchema>;
  required?: string[];
  additionalProperties?: boolean | ConfigSchema;
  items?: ConfigSchema;
  enum?: unknown[];
  /**
   * Tributary extension: the value is a credential. It is redacted wherever configuration is printed
   * or logged (`tributary plugins`, validation errors, startup logs).
   */
  secret?: boolean;
  [keyword: string]: unknown;
}

export type PluginKind = 'source' | 'sink' | 'transform' | 'predicate' | 'serde';

/** How much a sink can promise; the runtime refuses `delivery: exactly-once` unless transactional or idempotent. */
export type DeliveryCapability = 'transactional' | 'idempotent' | 'at-least-once';

export interface PluginSpec {
  /** Registry name, kebab-case, e.g. `mysql-binlog`. */
  name: string;
  kind: PluginKind;
  summary: string;
  version: string;
  /** Schema of the plugin's config; `additionalProperties: false` is implied at the top level. */
  config: ConfigSchema;
  /** Sinks only. Defaults to `at-least-once`. */
  delivery?: DeliveryCapability;
}
