import type { PluginContext } from './context.ts';
import type { RecordHeader } from './record.ts';
import type { Schema } from './schema.ts';
import type { PluginSpec } from './spec.ts';

export interface SerdeCallContext {
  topic: string;
  /** True when (de)serializing the record key, false for the value (Connect's key/value converters). */
  isKey: boolean;
  headers: RecordHeader[];
}

/**
 * Turns a record key or value into bytes. `null` data must serialize to `null` (a tombstone value or
 * a null key). May be async, for serializers that consult a schema registry. Throw
 * `TributaryError('SERIALIZATION_FAILED', ...)` for data it cannot encode; the record then goes to
 * the dead-letter topic under `errors.tolerance: all`.
 */
export interface Serializer {
  serialize(data: unknown, schema: Schema | undefined, ctx: SerdeCallContext): Buffer | null | Promise<Buffer | null>;
}

export interface Deserialized {
  data: unknown;
  schema?: Schema;
}

/** The inverse of {@link Serializer}; throws `DESERIALIZATION_FAILED` for bytes it cannot decode. */
export interface Deserializer {
  deserialize(bytes: Buffer | null, ctx: SerdeCallContext): Deserialized | Promise<Deserialized>;
}

/**
 * What the runtime shares with the serdes of one pipeline. Every member is optional: a serde built
 * outside a pipeline (a test, a tool) gets none, and must then say which config it cannot honour.
 */
export interface SerdeServices {
  /**
   * Base URL (`http://127.0.0.1:<port>`) of the pipeline's embedded schema registry. The first call
   * starts it (its state lives in a compacted Kafka topic of the pipeline's cluster); every later call,
   * from any serde of the pipeline, gets the same registry, and `port` is honoured only by the first
   * (0 or absent: any free port). The runtime stops it when the pipeline stops.
   */
  embeddedSchemaRegistry?(options?: { port?: number }): Promise<string>;
}

export interface SerdeContext<Config = Record<string, unknown>> extends PluginContext<Config> {
  isKey: boolean;
  /** Folder that relative paths in the config (e.g. a schema file) resolve against: the pipeline file's. Absent: the working directory. */
  baseDir?: string;
  services?: SerdeServices;
}

/** A data format. Every format has both directions, so anything a pipeline writes a sink can read. */
export interface SerdePlugin<Config = Record<string, unknown>> {
  spec: PluginSpec & { kind: 'serde' };
  createSerializer(ctx: SerdeContext<Config>): Serializer;
  createDeserializer(ctx: SerdeContext<Config>): Deserializer;
}
