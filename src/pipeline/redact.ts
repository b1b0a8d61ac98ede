import type { ConfigSchema, PluginKind, PluginRegistry } from '../sdk/index.ts';
import { pipelineSchema } from './schema.ts';
import type { PipelineSpec, SerdeSpec, TransformSpec } from './types.ts';

/** What a secret value is replaced with wherever configuration is printed or logged. */
export const REDACTED = '***';

/**
 * A copy of `config` in which every value whose schema says `secret: true` is {@link REDACTED},
 * at any depth: nested `properties`, `items`, `additionalProperties`, `patternProperties`, and the
 * branches of `allOf`/`anyOf`/`oneOf`/`then`/`else` (a key is secret if any branch says so).
 * Absent and null values stay as they are: they reveal nothing. `$ref` is not followed.
 * The input is never modified.
 */
export function redactConfig(config: Record<string, unknown>, schema: ConfigSchema): Record<string, unknown> {
  return redact(config, [schema]) as Record<string, unknown>;
}

/** Every value replaced: for config whose plugin is unknown, so nothing is known to be harmless. */
const ALL_SECRET: ConfigSchema = { additionalProperties: { secret: true } };

/**
 * A copy of a resolved pipeline that is safe to print: plugin configs redacted per their plugin's
 * spec (a plugin the registry does not know has all its values redacted), and the secrets of the
 * `kafka` section (`sasl.password`, `ssl.key`) redacted per the pipeline schema.
 */
export function redactPipeline(spec: PipelineSpec, registry: PluginRegistry): PipelineSpec {
  const schemaOf = (kind: PluginKind, name: string): ConfigSchema => (registry.has(kind, name) ? registry.get(kind, name).spec.config : ALL_SECRET);
  const transforms = (list: TransformSpec[]): TransformSpec[] =>
    list.map((t) => {
      const out: TransformSpec = { ...t, config: redactConfig(t.config, schemaOf('transform', t.type)) };
      if (t.predicate !== undefined) out.predicate = { type: t.predicate.type, config: redactConfig(t.predicate.config, schemaOf('predicate', t.predicate.type)) };
      return out;
    });
  const serde = (s: SerdeSpec): SerdeSpec => ({ format: s.format, config: redactConfig(s.config, schemaOf('serde', s.format)) });
  const copy = structuredClone(spec);
  copy.source.config = redactConfig(spec.source.config, schemaOf('source', spec.source.connector));
  copy.transforms = transforms(copy.transforms);
  copy.serializer = serde(spec.serializer);
  copy.keySerializer = serde(spec.keySerializer);
  copy.sinks = copy.sinks.map((s) => ({ ...s, config: redactConfig(s.config, schemaOf('sink', s.connector)), transforms: transforms(s.transforms) }));
  const kafkaSchema = pipelineSchema.properties?.kafka;
  if (copy.kafka !== undefined && kafkaSchema !== undefined) copy.kafka = redact(copy.kafka, [kafkaSchema]) as PipelineSpec['kafka'];
  return copy;
}

/** `schemas` all describe `value`; it is secret if any of them says so. */
function redact(value: unknown, schemas: readonly ConfigSchema[]): unknown {
  const all = schemas.flatMap(expand);
  if (value === undefined || value === null) return value;
  if (all.some((s) => s.secret === true)) return REDACTED;
  if (Array.isArray(value)) {
    const items = all.flatMap((s) => (s.items !== undefined && !Array.isArray(s.items) ? [s.items] : []));
    return value.map((v) => redact(v, items));
  }
  if (typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: redact(v, all.flatMap((s) => childSchemas(s, key))), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** A schema and the subschemas that also apply to the same value. */
function expand(schema: ConfigSchema): ConfigSchema[] {
  const out = [schema];
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) for (const b of branches as ConfigSchema[]) out.push(...expand(b));
  }
  for (const keyword of ['then', 'else']) {
    const branch = schema[keyword];
    if (typeof branch === 'object' && branch !== null) out.push(...expand(branch as ConfigSchema));
  }
  return out;
}

function childSchemas(schema: ConfigSchema, key: string): ConfigSchema[] {
  const declared = schema.properties?.[key];
  const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, ConfigSchema>)
    .filter(([pattern]) => new RegExp(pattern, 'u').test(key))
    .map(([, s]) => s);
  const out = declared !== undefined ? [declared, ...patterns] : patterns;
  // additionalProperties applies only to keys neither declared nor matched by a pattern.
  if (out.length === 0 && typeof schema.additionalProperties === 'object') out.push(schema.additionalProperties);
  return out;
}
