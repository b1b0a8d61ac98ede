import { headerValue, silentLogger, systemClock, type Logger, type SourceRecord, type SourceTaskContext } from '../../../src/sdk/index.ts';
import { MysqlBinlogSourceTask, type MysqlBinlogConfig } from '../../../connectors/mysql-binlog/index.ts';
import type { MariaDbHarness } from '../../harness/mariadb.ts';

/**
 * Drives a mysql-binlog task the way the runtime does: start, poll batches, remember the last offset
 * of each batch as "committed" (as if its Kafka transaction committed), stop. A new task built with
 * the same store resumes from that offset.
 */
export class OffsetStore {
  readonly offsets = new Map<string, Record<string, unknown>>();

  get(partition: Record<string, unknown>): Record<string, unknown> | undefined {
    return this.offsets.get(JSON.stringify(partition));
  }

  commit(batch: SourceRecord[]): void {
    const last = batch[batch.length - 1];
    if (last !== undefined) this.offsets.set(JSON.stringify(last.sourcePartition), last.sourceOffset);
  }
}

/** What the tests need of a server: the harness MariaDB, or a MySQL container wrapped the same way. */
export type SqlServer = Pick<MariaDbHarness, 'host' | 'port' | 'query' | 'connection'> & { user: string; password: string };

export function binlogTask(db: SqlServer, config: Partial<MysqlBinlogConfig>, store: OffsetStore, logger: Logger = silentLogger): MysqlBinlogSourceTask {
  const ctx: SourceTaskContext<MysqlBinlogConfig> = {
    config: { host: db.host, port: db.port, user: db.user, password: db.password, serverId: 100 + Math.floor(Math.random() * 10000), pollTimeoutMs: 200, ...config } as MysqlBinlogConfig,
    pipeline: 'test-cdc',
    logger,
    clock: systemClock,
    taskId: 0,
    committedOffset: (p) => store.get(p),
  };
  return new MysqlBinlogSourceTask(ctx);
}

export interface PollResult {
  records: SourceRecord[];
  batches: SourceRecord[][];
}

/** Polls (committing every batch) until `done(records)` holds, or fails after `timeoutMs`. */
export async function pollUntil(task: MysqlBinlogSourceTask, store: OffsetStore, done: (records: SourceRecord[]) => boolean, timeoutMs = 30_000): Promise<PollResult> {
  const records: SourceRecord[] = [];
  const batches: SourceRecord[][] = [];
  const signal = new AbortController().signal;
  const deadline = Date.now() + timeoutMs;
  while (!done(records)) {
    if (Date.now() > deadline) throw new Error(`pollUntil: condition not met after ${timeoutMs} ms with ${records.length} records`);
    const batch = await task.poll(signal);
    if (batch === null) break;
    if (batch.length === 0) continue;
    batches.push(batch);
    records.push(...batch);
    store.commit(batch);
  }
  return { records, batches };
}

export function rowRecords(records: SourceRecord[], table?: string): SourceRecord[] {
  return records.filter((r) => r.value !== null && !(r.value as { isDdl?: boolean }).isDdl && (table === undefined || r.topic.endsWith(`.${table}`)) && !r.topic.includes('ddl'));
}

export function isTxnLast(r: SourceRecord): boolean {
  return headerValue(r, 'tributary.txn.last') === 'true';
}

let counter = 0;
/** A database name no other test in this server uses. */
export function uniqueDatabase(prefix = 'cdc'): string {
  counter++;
  return `${prefix}_${process.pid}_${counter}`;
}
