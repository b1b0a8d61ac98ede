/**
 * The pipeline spec (version 1) as the runtime consumes it, after YAML parsing, env interpolation,
 * JSON Schema validation and defaults. `src/pipeline/schema.ts` is the authority on what YAML is
 * accepted; these types mirror it.
 */

export const PIPELINE_SPEC_VERSION = 1;

export interface PipelineSpec {
  version: 1;
  name: string;
  /** Absent: the pipeline runs on the embedded broker. */
  kafka?: KafkaSpec;
  /** User plugins: paths (relative to the pipeline file) or npm package names. */
  plugins: string[];
  source: SourceSpec;
  /** Source-side transforms, applied before serialization. */
  transforms: TransformSpec[];
  topic: TopicSpec;
  /** Value format (Kafka Connect's value.converter). */
  serializer: SerdeSpec;
  /** Key format (Kafka Connect's key.converter). Default: `{ format: json }`. */
  keySerializer: SerdeSpec;
  sinks: SinkSpec[];
  errors: ErrorsSpec;
  /** Where the spec came from, for error messages and resolving relative paths. */
  origin: { file: string; dir: string };
}

export interface KafkaSpec {
  brokers: string[];
  clientId?: string;
  ssl?: boolean | { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

export interface SourceSpec {
  connector: string;
  config: Record<string, unknown>;
  /**
   * exactly-once (default): records and source positions are committed in one Kafka transaction.
   * at-least-once: positions are written after the records are acknowledged.
   */
  delivery?: 'exactly-once' | 'at-least-once';
}

/**
 * A transform entry is flat, like a Kafka Connect SMT: `type` names the plugin and every other key
 * except `predicate`/`negate` is the transform's config.
 */
export interface TransformSpec {
  type: string;
  config: Record<string, unknown>;
  predicate?: PredicateSpec;
  negate: boolean;
  /** JSON path of this entry in the file, e.g. `transforms[2]`, for error positions. */
  path: string;
}

export interface PredicateSpec {
  type: string;
  config: Record<string, unknown>;
}

export interface TopicSpec {
  /** Default destination for records whose source does not name one. May hold `${field}` placeholders. */
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Extra topic configs passed to CreateTopics, e.g. `retention.ms`. */
  configs: Record<string, string>;
}

export interface SerdeSpec {
  format: string;
  config: Record<string, unknown>;
}

export interface SinkSpec {
  name: string;
  connector: string;
  /** Consumer-group members this process runs for the sink. */
  workers: number;
  /** Defaults to `tributary-<pipeline>-<sink>`. */
  group: string;
  /** Topics to read. Defaults to `[topic.name]`, verbatim (placeholders included). */
  topics: string[];
  /** `exactly-once` only for sinks whose spec declares transactional or idempotent delivery (checked at load). */
  delivery: 'at-least-once' | 'exactly-once';
  /** Sink-side transforms, applied after deserialization. */
  transforms: TransformSpec[];
  config: Record<string, unknown>;
  /** Max records handed to one `put()`. */
  batchSize: number;
  /** Consumer-group session timeout in milliseconds. */
  sessionTimeoutMs: number;
  path: string;
}

export interface ErrorsSpec {
  tolerance: 'none' | 'all';
  /** Invariant: set whenever `tolerance` is `all` (the loader rejects `all` without one). */
  deadLetterTopic?: string;
  retry: { timeoutMs: number; initialDelayMs: number; maxDelayMs: number };
}
