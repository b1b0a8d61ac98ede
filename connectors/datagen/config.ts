import type { ConfigSchema } from '../../src/sdk/index.ts';

export const DATAGEN_KINDS = ['users', 'orders'] as const;
export type DatagenKind = (typeof DATAGEN_KINDS)[number];

/** The `config` of a datagen source, as the runtime hands it over (validated, defaults applied). */
export interface DatagenConfig {
  kind: DatagenKind;
  seed: number;
  /** Total records; null or absent: unbounded. */
  count?: number | null;
  /** Records per second; null or absent: as fast as the pipeline takes them. */
  rate?: number | null;
  batchSize: number;
  keyed: boolean;
  /** '' leaves the topic to the runtime, which uses the pipeline's `topic.name`. */
  topic: string;
  /** Name of the offset stream; '' means the pipeline name. */
  stream: string;
  /** `orders` only: user_id is drawn from 1..userIds. */
  userIds: number;
}

export const DATAGEN_DEFAULTS = {
  kind: 'users',
  seed: 1,
  count: null,
  rate: null,
  batchSize: 100,
  keyed: true,
  topic: '',
  stream: '',
  userIds: 1000,
} as const satisfies Required<DatagenConfig>;

export const datagenConfigSchema: ConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: {
      type: 'string',
      enum: [...DATAGEN_KINDS],
      description: 'Shape of the generated records: `users` (id, name, email, age, country, created_at, score) or `orders` (id, user_id, amount, currency, status, ts).',
      default: DATAGEN_DEFAULTS.kind,
    },
    seed: {
      type: 'integer',
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'PRNG seed. Records are a pure function of (seed, kind, id): the same seed always yields the same records.',
      default: DATAGEN_DEFAULTS.seed,
    },
    count: {
      type: ['integer', 'null'],
      minimum: 0,
      description: 'Total number of records (ids 1..count), after which the source is exhausted. null: unbounded.',
      default: DATAGEN_DEFAULTS.count,
    },
    rate: {
      type: ['number', 'null'],
      exclusiveMinimum: 0,
      description: 'Average records per second, paced by the runtime clock. null: as fast as possible.',
      default: DATAGEN_DEFAULTS.rate,
    },
    batchSize: {
      type: 'integer',
      minimum: 1,
      description: 'Most records returned by one poll (one source batch, committed atomically).',
      default: DATAGEN_DEFAULTS.batchSize,
    },
    keyed: {
      type: 'boolean',
      description: "Set the record key to the record's id as a string; false leaves keys null.",
      default: DATAGEN_DEFAULTS.keyed,
    },
    topic: {
      type: 'string',
      description: "Destination topic. Empty: the runtime uses the pipeline's topic.name.",
      default: DATAGEN_DEFAULTS.topic,
    },
    stream: {
      type: 'string',
      description: 'Name under which the position is stored (sourcePartition {datagen: stream}). Empty: the pipeline name.',
      default: DATAGEN_DEFAULTS.stream,
    },
    userIds: {
      type: 'integer',
      minimum: 1,
      description: '`orders` only: user_id is drawn uniformly from 1..userIds, so orders join a `users` stream of at least that count.',
      default: DATAGEN_DEFAULTS.userIds,
    },
  },
};

/** Fills anything the caller left out; the runtime normally did this already via the schema. */
export function resolveDatagenConfig(config: Partial<DatagenConfig>): Required<DatagenConfig> {
  return {
    kind: config.kind ?? DATAGEN_DEFAULTS.kind,
    seed: config.seed ?? DATAGEN_DEFAULTS.seed,
    count: config.count ?? DATAGEN_DEFAULTS.count,
    rate: config.rate ?? DATAGEN_DEFAULTS.rate,
    batchSize: config.batchSize ?? DATAGEN_DEFAULTS.batchSize,
    keyed: config.keyed ?? DATAGEN_DEFAULTS.keyed,
    topic: config.topic ?? DATAGEN_DEFAULTS.topic,
    stream: config.stream ?? DATAGEN_DEFAULTS.stream,
    userIds: config.userIds ?? DATAGEN_DEFAULTS.userIds,
  };
}
