import type { SourcePlugin } from '../../src/sdk/index.ts';
import { mysqlBinlogConfigSchema, type MysqlBinlogConfig } from './config.ts';
import { CONNECTOR_VERSION, MysqlBinlogSourceTask } from './source.ts';

export type { MysqlBinlogConfig, OutputFormat, SnapshotMode } from './config.ts';
export { MysqlBinlogSourceTask } from './source.ts';

export const mysqlBinlogSource: SourcePlugin<MysqlBinlogConfig> = {
  spec: {
    name: 'mysql-binlog',
    kind: 'source',
    summary: 'MySQL/MariaDB change data capture from the binlog (replication protocol), with a consistent snapshot, exact resume, and Canal or Debezium records.',
    version: CONNECTOR_VERSION,
    config: mysqlBinlogConfigSchema,
  },
  createTask: (ctx) => new MysqlBinlogSourceTask(ctx),
};

export const plugins = [mysqlBinlogSource];
