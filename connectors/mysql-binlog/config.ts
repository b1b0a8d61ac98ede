import type { ConfigSchema } from '../../src/sdk/index.ts';

export const SNAPSHOT_MODES = ['initial', 'never', 'when-needed', 'initial-only'] as const;
export type SnapshotMode = (typeof SNAPSHOT_MODES)[number];
export const FORMATS = ['canal', 'debezium'] as const;
export type OutputFormat = (typeof FORMATS)[number];
export const TLS_MODES = ['disabled', 'preferred', 'required', 'verify'] as const;

/** The `config` of a mysql-binlog source, as the runtime hands it over (validated, defaults applied). */
export interface MysqlBinlogConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Replica server id; unique among the server's replicas. */
  serverId: number;
  tls: (typeof TLS_MODES)[number];
  /** PEM CA bundle for `tls: verify`; '' uses the system store. */
  tlsCa: string;
  include: string[];
  exclude: string[];
  snapshot: SnapshotMode;
  snapshotChunkRows: number;
  format: OutputFormat;
  topic: string;
  ddlTopic: string;
  /** Logical server name: Debezium's topic.prefix / source.name, and the offset stream's name. '' = the pipeline name. */
  name: string;
  maxTransactionRows: number;
  maxBatchRows: number;
  useGtid: boolean;
  heartbeatIntervalMs: number;
  connectTimeoutMs: number;
  pollTimeoutMs: number;
  queueBytes: number;
  decimalHandling: 'precise' | 'string' | 'double';
  tombstonesOnDelete: boolean;
}

export const MYSQL_BINLOG_DEFAULTS = {
  host: '127.0.0.1',
  port: 3306,
  user: 'root',
  password: '',
  serverId: 5401,
  tls: 'preferred',
  tlsCa: '',
  include: [],
  exclude: [],
  snapshot: 'initial',
  snapshotChunkRows: 5000,
  format: 'canal',
  topic: 'cdc.${database}.${table}',
  ddlTopic: 'cdc.ddl',
  name: '',
  maxTransactionRows: 10000,
  maxBatchRows: 2000,
  useGtid: true,
  heartbeatIntervalMs: 5000,
  connectTimeoutMs: 10000,
  pollTimeoutMs: 500,
  queueBytes: 16 * 1024 * 1024,
  decimalHandling: 'precise',
  tombstonesOnDelete: true,
} as const satisfies MysqlBinlogConfig;

export const mysqlBinlogConfigSchema: ConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1, description: 'Server host name or address.', default: MYSQL_BINLOG_DEFAULTS.host },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Server port.', default: MYSQL_BINLOG_DEFAULTS.port },
    user: { type: 'string', minLength: 1, description: 'User with REPLICATION SLAVE, REPLICATION CLIENT, SELECT and (for snapshots) RELOAD privileges.', default: MYSQL_BINLOG_DEFAULTS.user },
    password: { type: 'string', secret: true, description: "The user's password. Never logged.", default: MYSQL_BINLOG_DEFAULTS.password },
    serverId: {
      type: 'integer',
      minimum: 1,
      maximum: 4294967295,
      description: "Server id this reader registers with (COM_REGISTER_SLAVE); must differ from the server's and every other replica's.",
      default: MYSQL_BINLOG_DEFAULTS.serverId,
    },
    tls: { type: 'string', enum: [...TLS_MODES], description: 'TLS to the server: disabled, preferred (when offered), required, or verify (required and the certificate checked).', default: MYSQL_BINLOG_DEFAULTS.tls },
    tlsCa: { type: 'string', description: 'PEM CA bundle (the text) for `tls: verify`; empty uses the system store.', default: MYSQL_BINLOG_DEFAULTS.tlsCa },
    include: {
      type: 'array',
      items: { type: 'string' },
      description: "Regular expressions on `database.table` (Canal's filter.regex: whole-name, case-insensitive). Empty: every table.",
      default: MYSQL_BINLOG_DEFAULTS.include,
    },
    exclude: {
      type: 'array',
      items: { type: 'string' },
      description: "Regular expressions on `database.table` never captured (Canal's filter.black.regex); they win over include.",
      default: MYSQL_BINLOG_DEFAULTS.exclude,
    },
    snapshot: {
      type: 'string',
      enum: [...SNAPSHOT_MODES],
      description: 'initial: snapshot when no position is stored, then stream; never: stream from the current position; when-needed: also snapshot when the stored binlog file is gone; initial-only: snapshot, then stop.',
      default: MYSQL_BINLOG_DEFAULTS.snapshot,
    },
    snapshotChunkRows: { type: 'integer', minimum: 1, description: 'Rows per snapshot read (one poll), in primary-key order.', default: MYSQL_BINLOG_DEFAULTS.snapshotChunkRows },
    format: { type: 'string', enum: [...FORMATS], description: "Record format: canal (Canal FlatMessage) or debezium (Debezium's envelope with Connect schemas).", default: MYSQL_BINLOG_DEFAULTS.format },
    topic: { type: 'string', minLength: 1, description: 'Row topic; `${database}` and `${table}` are replaced, so a template without them is one fixed topic.', default: MYSQL_BINLOG_DEFAULTS.topic },
    ddlTopic: { type: 'string', minLength: 1, description: 'Topic for DDL statements (same placeholders).', default: MYSQL_BINLOG_DEFAULTS.ddlTopic },
    name: {
      type: 'string',
      description: "Logical server name: Debezium's source.name and schema prefix, and the name the position is stored under. Empty: the pipeline name.",
      default: MYSQL_BINLOG_DEFAULTS.name,
    },
    maxTransactionRows: {
      type: 'integer',
      minimum: 1,
      description: 'A binlog transaction is returned whole in one poll (one Kafka transaction) unless it has more rows than this; then it is split, and the stored row count makes a resume exact.',
      default: MYSQL_BINLOG_DEFAULTS.maxTransactionRows,
    },
    maxBatchRows: { type: 'integer', minimum: 1, description: 'Whole transactions already received are combined into one poll up to about this many rows.', default: MYSQL_BINLOG_DEFAULTS.maxBatchRows },
    useGtid: { type: 'boolean', description: 'Resume from the stored GTID position when there is one (survives failover and binlog renaming); false: always file + position.', default: MYSQL_BINLOG_DEFAULTS.useGtid },
    heartbeatIntervalMs: {
      type: 'integer',
      minimum: 100,
      description: 'The server sends a heartbeat after this long without events; three missed heartbeats mean the connection is dead and is reopened.',
      default: MYSQL_BINLOG_DEFAULTS.heartbeatIntervalMs,
    },
    connectTimeoutMs: { type: 'integer', minimum: 100, description: 'Connecting and authenticating may take this long.', default: MYSQL_BINLOG_DEFAULTS.connectTimeoutMs },
    pollTimeoutMs: { type: 'integer', minimum: 1, description: 'Longest a poll waits for a transaction before returning an empty batch.', default: MYSQL_BINLOG_DEFAULTS.pollTimeoutMs },
    queueBytes: { type: 'integer', minimum: 65536, description: 'Received but unprocessed binlog bytes above which reading pauses (TCP then holds the server back).', default: MYSQL_BINLOG_DEFAULTS.queueBytes },
    decimalHandling: {
      type: 'string',
      enum: ['precise', 'string', 'double'],
      description: 'debezium only: DECIMAL and BIGINT UNSIGNED as Connect Decimal (precise, exact), as text (string), or as float64 (double, lossy).',
      default: MYSQL_BINLOG_DEFAULTS.decimalHandling,
    },
    tombstonesOnDelete: { type: 'boolean', description: 'debezium only: follow each delete with a null-value record for the same key (log compaction).', default: MYSQL_BINLOG_DEFAULTS.tombstonesOnDelete },
  },
};

/** Fills anything the caller left out; the runtime normally did this already via the schema. */
export function resolveMysqlBinlogConfig(config: Partial<MysqlBinlogConfig>): MysqlBinlogConfig {
  const out = { ...MYSQL_BINLOG_DEFAULTS } as MysqlBinlogConfig;
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  out.include = [...out.include];
  out.exclude = [...out.exclude];
  return out;
}
