import type { ConfigSchema } from '../../src/sdk/index.ts';

export const WRITE_MODES = ['insert', 'upsert'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];

export const INPUT_FORMATS = ['auto', 'plain', 'debezium', 'canal'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export const WRITE_METHODS = ['copy', 'unnest'] as const;

export const NUL_IN_TEXT = ['refuse', 'strip'] as const;
export type NulInText = (typeof NUL_IN_TEXT)[number];
export type WriteMethod = (typeof WRITE_METHODS)[number];

/** The `config` of a postgres sink, as the runtime hands it over (validated, defaults applied). */
export interface PostgresSinkConfig {
  /** `postgres://user:password@host:port/database?...`; '' means: use host/port/database/user/password. */
  url: string;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  ssl: boolean;
  schema: string;
  /** Target table; `${topic}` is replaced by the record's topic with characters outside [A-Za-z0-9_] as `_`. */
  table: string;
  mode: WriteMode;
  format: InputFormat;
  /** Primary key columns; empty: the record key's fields, Canal's pkNames, or the existing table's key. */
  primaryKey: string[];
  /** Debezium `d` and Canal `DELETE` delete rows; false ignores them. */
  deletes: boolean;
  /** What a record with a null value (a tombstone) does: nothing, or delete the row with its key. */
  tombstones: 'ignore' | 'delete';
  /** A string value holding U+0000, which PostgreSQL text cannot store: refuse the record, or drop the character. */
  nulInText: NulInText;
  autoCreate: boolean;
  autoEvolve: boolean;
  writeMethod: WriteMethod;
  offsetsTable: string;
  storeOffsets: boolean;
  poolSize: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  idleTimeoutMs: number;
  openRetryTimeoutMs: number;
}

export const POSTGRES_SINK_DEFAULTS = {
  url: '',
  host: '127.0.0.1',
  port: 5432,
  database: 'postgres',
  user: 'postgres',
  password: '',
  ssl: false,
  schema: 'public',
  table: '${topic}',
  mode: 'upsert',
  format: 'auto',
  primaryKey: [],
  deletes: true,
  tombstones: 'ignore',
  nulInText: 'refuse',
  autoCreate: true,
  autoEvolve: true,
  writeMethod: 'unnest',
  offsetsTable: 'tributary_offsets',
  storeOffsets: true,
  poolSize: 2,
  connectTimeoutMs: 10_000,
  statementTimeoutMs: 60_000,
  idleTimeoutMs: 30_000,
  openRetryTimeoutMs: 60_000,
} as const satisfies PostgresSinkConfig;

const IDENTIFIER = { type: 'string', minLength: 1, maxLength: 63 } as const;

export const postgresSinkConfigSchema: ConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    url: {
      type: 'string',
      secret: true,
      description: 'Connection URL `postgres://user:password@host:port/database` (libpq-style query options such as `sslmode` allowed). Empty: connect with host, port, database, user and password. Redacted when printed.',
      default: POSTGRES_SINK_DEFAULTS.url,
    },
    host: { type: 'string', minLength: 1, description: 'Server host, when `url` is empty.', default: POSTGRES_SINK_DEFAULTS.host },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Server port, when `url` is empty.', default: POSTGRES_SINK_DEFAULTS.port },
    database: { type: 'string', minLength: 1, description: 'Database, when `url` is empty.', default: POSTGRES_SINK_DEFAULTS.database },
    user: { type: 'string', minLength: 1, description: 'User, when `url` is empty.', default: POSTGRES_SINK_DEFAULTS.user },
    password: { type: 'string', secret: true, description: 'Password, when `url` is empty. Use `${env:NAME}`; redacted when printed.', default: POSTGRES_SINK_DEFAULTS.password },
    ssl: { type: 'boolean', description: 'Connect with TLS (certificate verified), when `url` is empty; with a URL use `?sslmode=`.', default: POSTGRES_SINK_DEFAULTS.ssl },
    schema: { ...IDENTIFIER, description: 'Schema of the target tables and of the offsets table; created when missing and autoCreate is on.', default: POSTGRES_SINK_DEFAULTS.schema },
    table: {
      type: 'string',
      minLength: 1,
      description: 'Target table. `${topic}` is replaced by the record\'s topic, with every character outside [A-Za-z0-9_] turned into `_` (topic `shop.orders` -> table `shop_orders`).',
      default: POSTGRES_SINK_DEFAULTS.table,
    },
    mode: {
      type: 'string',
      enum: [...WRITE_MODES],
      description: '`upsert`: INSERT ... ON CONFLICT (primary key) DO UPDATE, so replays and updates converge. `insert`: plain INSERT; a row whose key exists is refused (dead-lettered).',
      default: POSTGRES_SINK_DEFAULTS.mode,
    },
    format: {
      type: 'string',
      enum: [...INPUT_FORMATS],
      description: 'Shape of the record values: `plain` (the value object is the row), `debezium` (envelope with op/before/after), `canal` (flat message with type/data[]), or `auto` to recognise each record.',
      default: POSTGRES_SINK_DEFAULTS.format,
    },
    primaryKey: {
      type: 'array',
      items: { ...IDENTIFIER, description: 'A column name.' },
      uniqueItems: true,
      description: 'Primary key columns. Empty: the fields of the record key when it is an object, Canal\'s `pkNames`, else the primary key of the existing table. A key that is not an object is the value of a single-column key.',
      default: POSTGRES_SINK_DEFAULTS.primaryKey,
    },
    deletes: {
      type: 'boolean',
      description: 'Debezium `op: d` and Canal `DELETE` messages delete the row by primary key. false: they are skipped.',
      default: POSTGRES_SINK_DEFAULTS.deletes,
    },
    tombstones: {
      type: 'string',
      enum: ['ignore', 'delete'],
      description: 'A record whose value is null: `ignore` it (Debezium follows each delete with one), or `delete` the row whose primary key is the record key.',
      default: POSTGRES_SINK_DEFAULTS.tombstones,
    },
    nulInText: {
      type: 'string',
      enum: [...NUL_IN_TEXT],
      description: 'A string value containing the NUL character (U+0000; MySQL text may hold it, PostgreSQL text cannot): `refuse` the record (dead-lettered), or `strip` the NUL characters and write the rest.',
      default: POSTGRES_SINK_DEFAULTS.nulInText,
    },
    autoCreate: {
      type: 'boolean',
      description: 'Create a missing table (and schema), with column types from the record\'s value schema when it has one, else from the values.',
      default: POSTGRES_SINK_DEFAULTS.autoCreate,
    },
    autoEvolve: {
      type: 'boolean',
      description: 'Add a nullable column (ALTER TABLE ADD COLUMN) for a field the table does not have. false: such records are refused (dead-lettered).',
      default: POSTGRES_SINK_DEFAULTS.autoEvolve,
    },
    writeMethod: {
      type: 'string',
      enum: [...WRITE_METHODS],
      description: '`unnest`: one INSERT ... SELECT FROM unnest($1::text[], ...) per table and column set. `copy`: COPY into a session temp table, then one INSERT ... SELECT from it. See bench/sink for their speed.',
      default: POSTGRES_SINK_DEFAULTS.writeMethod,
    },
    offsetsTable: {
      ...IDENTIFIER,
      description: 'Table (in `schema`) holding the consumed position per (group, topic, partition), written in the same transaction as the rows.',
      default: POSTGRES_SINK_DEFAULTS.offsetsTable,
    },
    storeOffsets: {
      type: 'boolean',
      description: 'Store positions with the rows (exactly-once). false: rows only, positions stay in Kafka, so delivery is at-least-once whatever the sink\'s `delivery` says; for measuring the cost of the offsets write.',
      default: POSTGRES_SINK_DEFAULTS.storeOffsets,
    },
    poolSize: { type: 'integer', minimum: 1, maximum: 100, description: 'Connections in this worker\'s pool (puts of one worker never overlap, so 1-2 suffice).', default: POSTGRES_SINK_DEFAULTS.poolSize },
    connectTimeoutMs: { type: 'integer', minimum: 1, description: 'How long opening a connection may take before it counts as failed (retried).', default: POSTGRES_SINK_DEFAULTS.connectTimeoutMs },
    statementTimeoutMs: { type: 'integer', minimum: 0, description: 'Server-side statement_timeout for the sink\'s sessions; 0 disables it.', default: POSTGRES_SINK_DEFAULTS.statementTimeoutMs },
    idleTimeoutMs: { type: 'integer', minimum: 1, description: 'Idle connections are closed after this long.', default: POSTGRES_SINK_DEFAULTS.idleTimeoutMs },
    openRetryTimeoutMs: {
      type: 'integer',
      minimum: 0,
      description: 'How long reading stored positions on partition assignment retries transient failures before giving up.',
      default: POSTGRES_SINK_DEFAULTS.openRetryTimeoutMs,
    },
  },
};

/** Fills anything the caller left out; the runtime normally did this already via the schema. */
export function resolvePostgresSinkConfig(config: Partial<PostgresSinkConfig>): PostgresSinkConfig {
  const d = POSTGRES_SINK_DEFAULTS;
  return {
    url: config.url ?? d.url,
    host: config.host ?? d.host,
    port: config.port ?? d.port,
    database: config.database ?? d.database,
    user: config.user ?? d.user,
    password: config.password ?? d.password,
    ssl: config.ssl ?? d.ssl,
    schema: config.schema ?? d.schema,
    table: config.table ?? d.table,
    mode: config.mode ?? d.mode,
    format: config.format ?? d.format,
    primaryKey: config.primaryKey ?? [...d.primaryKey],
    deletes: config.deletes ?? d.deletes,
    tombstones: config.tombstones ?? d.tombstones,
    nulInText: config.nulInText ?? d.nulInText,
    autoCreate: config.autoCreate ?? d.autoCreate,
    autoEvolve: config.autoEvolve ?? d.autoEvolve,
    writeMethod: config.writeMethod ?? d.writeMethod,
    offsetsTable: config.offsetsTable ?? d.offsetsTable,
    storeOffsets: config.storeOffsets ?? d.storeOffsets,
    poolSize: config.poolSize ?? d.poolSize,
    connectTimeoutMs: config.connectTimeoutMs ?? d.connectTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs ?? d.statementTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs ?? d.idleTimeoutMs,
    openRetryTimeoutMs: config.openRetryTimeoutMs ?? d.openRetryTimeoutMs,
  };
}

/** Where to connect, for log lines and error messages: never the password. */
export function describeTarget(config: PostgresSinkConfig): string {
  if (config.url === '') return `${config.host}:${config.port}/${config.database}`;
  try {
    const u = new URL(config.url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparsable url)';
  }
}
