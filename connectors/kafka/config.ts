import type { ConfigSchema } from '../../src/sdk/index.ts';

export type KeyFormat = 'string' | 'json' | 'bytes';
export type ValueFormat = 'json' | 'string' | 'bytes';
export type Partitioning = 'key' | 'input';

export interface SaslConfig {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** The `config` of a kafka sink, as the runtime hands it over (validated, defaults applied). */
export interface KafkaSinkConfig {
  /** Bootstrap servers of the cluster to write to; must be the cluster the pipeline reads from. */
  brokers: string[];
  /** '' means `tributary-<pipeline>-<sink>`. */
  clientId: string;
  ssl: boolean;
  sasl: SaslConfig | null;
  /** Output topic; `${topic}` stands for the record's topic (after sink-side transforms). */
  topic: string;
  keyFormat: KeyFormat;
  valueFormat: ValueFormat;
  /** Re-keying: the output key is this field of the value (dotted path); null keeps the record key. */
  keyField: string | null;
  partitioning: Partitioning;
  /** Partitions of an output topic the sink creates; null: as many as the input topic has. */
  partitions: number | null;
  replicationFactor: number;
  transactionTimeoutMs: number;
}

export const KAFKA_SINK_DEFAULTS = {
  clientId: '',
  ssl: false,
  sasl: null,
  keyFormat: 'string',
  valueFormat: 'json',
  keyField: null,
  partitioning: 'key',
  partitions: null,
  replicationFactor: -1,
  transactionTimeoutMs: 60_000,
} as const satisfies Omit<KafkaSinkConfig, 'brokers' | 'topic'>;

// A Kafka topic name, where `${topic}` may stand for (part of) it.
const TOPIC_TEMPLATE = '^(?:[A-Za-z0-9._-]|\\$\\{topic\\})+$';

export const kafkaSinkConfigSchema: ConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['brokers', 'topic'],
  properties: {
    brokers: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      minItems: 1,
      description:
        'Bootstrap servers (host:port) of the cluster to write to. No default: name them. For exactly-once this must be the cluster the pipeline reads from, since the consumed offsets are committed in the same Kafka transaction as the output.',
    },
    clientId: {
      type: 'string',
      description: 'Kafka client id. Empty: tributary-<pipeline>-<sink>.',
      default: KAFKA_SINK_DEFAULTS.clientId,
    },
    ssl: {
      type: 'boolean',
      description: 'Connect with TLS, verifying the brokers against the system CAs.',
      default: KAFKA_SINK_DEFAULTS.ssl,
    },
    sasl: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['mechanism', 'username', 'password'],
      properties: {
        mechanism: { type: 'string', enum: ['plain', 'scram-sha-256', 'scram-sha-512'], description: 'SASL mechanism.' },
        username: { type: 'string', description: 'SASL user name.' },
        password: { type: 'string', secret: true, description: 'SASL password.' },
      },
      description: 'SASL authentication; null: none.',
      default: KAFKA_SINK_DEFAULTS.sasl,
    },
    topic: {
      type: 'string',
      pattern: TOPIC_TEMPLATE,
      maxLength: 249,
      description:
        'Output topic. `${topic}` stands for the record topic (the input topic, or what a sink-side transform renamed it to), e.g. `${topic}.rekeyed`. A missing topic is created (see partitions).',
    },
    keyFormat: {
      type: 'string',
      enum: ['string', 'json', 'bytes'],
      description: '`string`: text (numbers and booleans as their text); `json`: JSON text; `bytes`: the key must be bytes and is written as it is.',
      default: KAFKA_SINK_DEFAULTS.keyFormat,
    },
    valueFormat: {
      type: 'string',
      enum: ['json', 'string', 'bytes'],
      description:
        '`json`: JSON text (bigint exact, bytes as base64); `string`: text; `bytes`: the value must be bytes (read the topic with `serializer: { format: bytes }` to pass records through untouched).',
      default: KAFKA_SINK_DEFAULTS.valueFormat,
    },
    keyField: {
      type: ['string', 'null'],
      minLength: 1,
      description: 'Re-key: the output key is this field of the record value (a dotted path reaches nested fields). null keeps the record key.',
      default: KAFKA_SINK_DEFAULTS.keyField,
    },
    partitioning: {
      type: 'string',
      enum: ['key', 'input'],
      description:
        "`key`: the Java client's rule (murmur2 of the key; round-robin for null keys). `input`: the record's input partition number (the output topic needs at least as many partitions).",
      default: KAFKA_SINK_DEFAULTS.partitioning,
    },
    partitions: {
      type: ['integer', 'null'],
      minimum: 1,
      description: 'Partitions of an output topic the sink creates. null: as many as the input topic has.',
      default: KAFKA_SINK_DEFAULTS.partitions,
    },
    replicationFactor: {
      type: 'integer',
      minimum: -1,
      description: 'Replication factor of an output topic the sink creates; -1 lets the broker choose.',
      default: KAFKA_SINK_DEFAULTS.replicationFactor,
    },
    transactionTimeoutMs: {
      type: 'integer',
      minimum: 1000,
      description: 'The broker aborts a transaction left open longer than this (a worker that died mid-batch). Must not exceed the broker\'s transaction.max.timeout.ms.',
      default: KAFKA_SINK_DEFAULTS.transactionTimeoutMs,
    },
  },
};

/** Fills anything the caller left out; the runtime normally did this already via the schema. */
export function resolveKafkaSinkConfig(config: Partial<KafkaSinkConfig> & Pick<KafkaSinkConfig, 'brokers' | 'topic'>): KafkaSinkConfig {
  return { ...KAFKA_SINK_DEFAULTS, ...config };
}
