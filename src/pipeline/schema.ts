import type { ConfigSchema } from '../sdk/index.ts';

/**
 * The JSON Schema (draft-07) of a pipeline YAML file, version 1. It is the authority on which keys
 * exist and where the defaults come from; `types.ts` mirrors the resolved result.
 *
 * Invariants, checked by test/pipeline/schema.test.ts:
 * - every property carries a `description` (`tributary validate` and editor tooling show them);
 * - `additionalProperties: false` wherever the framework owns the keys. The three places that are
 *   open (a transform entry, a predicate, a serializer) are open because the plugin named by
 *   `type`/`format` owns the remaining keys; the loader checks those against the plugin's spec.
 * - defaults live here and nowhere else; the loader applies them with ajv's `useDefaults`.
 *
 * Changing the accepted shape incompatibly means a new `version` and a new schema next to this one.
 */

export const PIPELINE_SCHEMA_ID = 'https://tributary.dev/schemas/pipeline/v1.json';

/** `[a-z0-9][a-z0-9._-]*`: used in consumer group ids and transactional ids, so kept conservative. */
const NAME_PATTERN = '^[a-z0-9][a-z0-9._-]*$';

/** A Kafka topic name (legal characters, at most 249). */
const TOPIC_PATTERN = '^[a-zA-Z0-9._-]+$';

/**
 * A topic name that may hold `${field}` placeholders filled in per record by the runtime (for
 * example `cdc.${database}.${table}`). `${env:...}` references are already resolved by then.
 */
const TOPIC_TEMPLATE_PATTERN = '^([a-zA-Z0-9._-]|\\$\\{[^{}]+\\})+$';

/**
 * `30s`, `500ms`, `5m`, `1.5h`, a bare number of milliseconds, or a string of digits (what an
 * `${env:...}` reference yields) also read as milliseconds. See `duration.ts`.
 */
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)?$';

/** What a value failing each of the patterns above should look like, for error messages. */
export const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  [NAME_PATTERN]: 'must use only lower case letters, digits, ".", "_" and "-", starting with a letter or digit',
  [TOPIC_PATTERN]: 'must be a topic name: letters, digits, ".", "_" and "-"',
  [TOPIC_TEMPLATE_PATTERN]: 'must be a topic name (letters, digits, ".", "_" and "-"), optionally with ${field} placeholders',
  [DURATION_PATTERN]: 'must be a duration like "30s", "500ms" or "5m", or a number of milliseconds',
};

const transformEntry: ConfigSchema = {
  type: 'object',
  description:
    'One transform, flat like a Kafka Connect SMT: `type` names the plugin and every other key except `predicate` and `negate` is that plugin\'s config.',
  required: ['type'],
  properties: {
    type: { type: 'string', minLength: 1, description: 'Name of a registered transform plugin, e.g. `mask-field`.' },
    predicate: {
      type: 'object',
      description:
        'Apply the transform only to records this predicate matches. `type` names the predicate plugin; the other keys are its config.',
      required: ['type'],
      properties: {
        type: { type: 'string', minLength: 1, description: 'Name of a registered predicate plugin.' },
      },
      additionalProperties: true,
    },
    negate: {
      type: 'boolean',
      default: false,
      description: 'Invert the predicate: apply the transform to records it does NOT match. Needs `predicate`.',
    },
  },
  // Open on purpose: the remaining keys belong to the transform plugin and are checked against its spec.
  additionalProperties: true,
};

const transforms: ConfigSchema = {
  type: 'array',
  default: [],
  description: 'Transforms applied in order, one record at a time.',
  items: transformEntry,
};

function serde(role: string): ConfigSchema {
  return {
    type: 'object',
    default: { format: 'json' },
    description: `${role} format (Kafka Connect's ${role === 'Key' ? 'key' : 'value'}.converter). \`format\` names the serde plugin; the other keys are its config.`,
    properties: {
      format: { type: 'string', minLength: 1, default: 'json', description: 'Name of a registered serde plugin, e.g. `json` or `avro`.' },
    },
    // Open on purpose: the remaining keys belong to the serde plugin and are checked against its spec.
    additionalProperties: true,
  };
}

/** Spread into each duration property (rather than `$ref`) so `default` and `description` sit beside it. */
const duration: ConfigSchema = {
  type: ['string', 'integer'],
  pattern: DURATION_PATTERN,
  minimum: 0,
};

export const pipelineSchema: ConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: PIPELINE_SCHEMA_ID,
  title: 'Tributary pipeline',
  description: 'One streaming pipeline: a source, its transforms, a topic, and the sinks that read it.',
  type: 'object',
  required: ['name', 'source', 'topic'],
  additionalProperties: false,
  properties: {
    version: {
      const: 1,
      default: 1,
      description: 'Version of this file format. Only 1 exists; omitting it means 1.',
    },
    name: {
      type: 'string',
      pattern: NAME_PATTERN,
      description: 'Pipeline name: lower case letters, digits, `.`, `_`, `-`. Used in consumer group and transactional ids.',
    },
    kafka: {
      type: 'object',
      description: 'The Kafka cluster to use. Omit it to run on the embedded broker.',
      required: ['brokers'],
      additionalProperties: false,
      properties: {
        brokers: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', minLength: 1, description: 'A bootstrap broker as `host:port`.' },
          description: 'Bootstrap brokers, `host:port` each.',
        },
        clientId: { type: 'string', minLength: 1, description: 'Kafka client id. Defaults to `tributary-<pipeline>`.' },
        ssl: {
          type: ['boolean', 'object'],
          description: 'TLS: `true` to use the system trust store, or an object with PEM material.',
          additionalProperties: false,
          properties: {
            ca: { type: 'string', description: 'PEM-encoded CA certificate(s) to trust.' },
            cert: { type: 'string', description: 'PEM-encoded client certificate, for mutual TLS.' },
            key: { type: 'string', secret: true, description: 'PEM-encoded client private key, for mutual TLS. Redacted when printed.' },
            rejectUnauthorized: { type: 'boolean', description: 'Verify the broker certificate. Default true; false only for testing.' },
          },
        },
        sasl: {
          type: 'object',
          description: 'SASL authentication.',
          required: ['mechanism', 'username', 'password'],
          additionalProperties: false,
          properties: {
            mechanism: { enum: ['plain', 'scram-sha-256', 'scram-sha-512'], description: 'SASL mechanism.' },
            username: { type: 'string', description: 'SASL user name.' },
            password: { type: 'string', secret: true, description: 'SASL password. Use `${env:NAME}`; redacted when printed.' },
          },
        },
      },
    },
    plugins: {
      type: 'array',
      default: [],
      description: 'User plugin modules to load: paths relative to this file (starting with `.` or `/`) or npm package names.',
      items: { type: 'string', minLength: 1, description: 'A module path or package name.' },
    },
    source: {
      type: 'object',
      description: 'Where records come from.',
      required: ['connector'],
      additionalProperties: false,
      properties: {
        connector: { type: 'string', minLength: 1, description: 'Name of a registered source plugin, e.g. `mysql-binlog`.' },
        delivery: {
          enum: ['exactly-once', 'at-least-once'],
          default: 'exactly-once',
          description: '`exactly-once`: records and source positions commit in one Kafka transaction. `at-least-once`: positions are written after the records are acknowledged.',
        },
        config: { type: 'object', default: {}, description: 'The source plugin\'s config, checked against its spec.' },
      },
    },
    transforms,
    topic: {
      type: 'object',
      description: 'The topic records are written to.',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: {
          type: 'string',
          pattern: TOPIC_TEMPLATE_PATTERN,
          maxLength: 249,
          description: 'Topic for records whose source names none. May hold `${field}` placeholders filled per record.',
        },
        partitions: { type: 'integer', minimum: 1, default: 1, description: 'Partition count when the topic is created.' },
        replicationFactor: {
          type: 'integer',
          minimum: -1,
          not: { const: 0 },
          default: 1,
          description: 'Replication factor when the topic is created; -1 uses the broker default.',
        },
        configs: {
          type: 'object',
          default: {},
          additionalProperties: { type: 'string' },
          description: 'Topic configs passed to CreateTopics, e.g. `retention.ms: "86400000"`. Values are strings, as in Kafka.',
        },
      },
    },
    serializer: serde('Value'),
    keySerializer: serde('Key'),
    sinks: {
      type: 'array',
      minItems: 0,
      default: [],
      description: 'Where records go. Each sink is its own consumer group.',
      items: {
        type: 'object',
        description: 'One sink.',
        required: ['name', 'connector'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: NAME_PATTERN, description: 'Sink name, unique in the pipeline. Used in the default consumer group id.' },
          connector: { type: 'string', minLength: 1, description: 'Name of a registered sink plugin, e.g. `postgres`.' },
          workers: { type: 'integer', minimum: 1, default: 1, description: 'Consumer group members this process runs for the sink.' },
          group: { type: 'string', minLength: 1, description: 'Consumer group id. Defaults to `tributary-<pipeline>-<sink>`.' },
          topics: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', pattern: TOPIC_PATTERN, maxLength: 249, description: 'A topic name.' },
            description: 'Topics to read. Defaults to `[topic.name]`.',
          },
          delivery: {
            enum: ['at-least-once', 'exactly-once'],
            default: 'at-least-once',
            description: 'Delivery guarantee. `exactly-once` needs a sink that declares transactional or idempotent delivery.',
          },
          transforms: { ...transforms, description: 'Sink-side transforms, applied after deserialization.' },
          config: { type: 'object', default: {}, description: 'The sink plugin\'s config, checked against its spec.' },
          batchSize: { type: 'integer', minimum: 1, default: 500, description: 'Most records handed to one `put()`.' },
          sessionTimeout: {
            ...duration,
            default: '30s',
            description: 'Consumer-group session timeout: how long a silent (crashed) worker keeps its partitions before the group moves them. The broker bounds it (Kafka: group.min.session.timeout.ms, 6s by default).',
          },
        },
      },
    },
    errors: {
      type: 'object',
      default: {},
      description: 'What happens to records that fail, and how long infrastructure failures are retried.',
      additionalProperties: false,
      properties: {
        tolerance: {
          enum: ['none', 'all'],
          default: 'none',
          description: '`none`: a failed record stops the task. `all`: it goes to `deadLetterTopic` and the pipeline continues.',
        },
        deadLetterTopic: {
          type: 'string',
          pattern: TOPIC_PATTERN,
          maxLength: 249,
          description: 'Topic for failed records, with headers naming the stage, error and origin. Required with `tolerance: all`.',
        },
        retry: {
          type: 'object',
          default: {},
          description: 'Backoff for retriable failures (network, rebalance, deadlock).',
          additionalProperties: false,
          properties: {
            timeout: { ...duration, default: '5m', description: 'Give up retrying one operation after this long; 0 disables retries.' },
            initialDelay: { ...duration, default: '500ms', description: 'First backoff delay; it doubles up to `maxDelay`.' },
            maxDelay: { ...duration, default: '30s', description: 'Largest backoff delay.' },
          },
        },
      },
    },
  },
};
