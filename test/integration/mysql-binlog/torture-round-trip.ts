import type { Connection } from 'mysql2/promise';
import type { FlatMessage } from '../../../connectors/mysql-binlog/output/canal-format.ts';
import type { SourceRecord } from '../../../src/sdk/index.ts';
import { canalDiff } from '../../connectors/mysql-binlog/torture-compare.ts';
import { TORTURE_COLUMNS, TORTURE_ROWS, TORTURE_SELECT_COLUMNS, TORTURE_SESSION, tortureCreateTable, tortureInsert } from '../../connectors/mysql-binlog/torture-table.ts';
import { OffsetStore, binlogTask, pollUntil, uniqueDatabase, type SqlServer } from './support.ts';

export const SNAPSHOT_IDS = TORTURE_ROWS.map((_, i) => i + 1);
export const BINLOG_IDS = TORTURE_ROWS.map((_, i) => i + 101);

export async function tortureSession(server: SqlServer, database: string): Promise<Connection> {
  const conn = await server.connection();
  for (const s of TORTURE_SESSION) await conn.query(s);
  await conn.query(`USE \`${database}\``);
  return conn;
}

async function selectRaw(conn: Connection, database: string): Promise<Map<number, Array<Buffer | null>>> {
  const [rows] = await conn.query({
    sql: `SELECT ${TORTURE_SELECT_COLUMNS.map((c) => `\`${c}\``).join(', ')} FROM \`${database}\`.torture ORDER BY id`,
    rowsAsArray: true,
    typeCast: (field) => field.buffer(),
  });
  return new Map((rows as Array<Array<Buffer | null>>).map((r) => [Number((r[0] as Buffer).toString()), r]));
}

export function rowsById(records: SourceRecord[]): Map<number, FlatMessage> {
  const out = new Map<number, FlatMessage>();
  for (const r of records) {
    const m = r.value as FlatMessage;
    if (m.isDdl || m.data === null) continue;
    out.set(Number(m.data[0]?.id), m);
  }
  return out;
}

export interface TortureRun {
  problems: string[];
  snapshot: SourceRecord[];
  streamed: SourceRecord[];
}

/**
 * Writes the torture rows, reads them once through the snapshot and once from the binlog (the same
 * values under other ids), and compares every Canal value with a SELECT of the same row.
 */
export async function canalTortureRoundTrip(server: SqlServer): Promise<TortureRun> {
  const database = uniqueDatabase('torture');
  await server.query(`CREATE DATABASE \`${database}\``);
  const conn = await tortureSession(server, database);
  try {
    await conn.query(tortureCreateTable(database));
    for (const [i, row] of TORTURE_ROWS.entries()) await conn.query(tortureInsert(database, 'torture', SNAPSHOT_IDS[i] as number, row));
    const store = new OffsetStore();
    const task = binlogTask(server, { include: [`${database}\\..*`], format: 'canal' }, store);
    await task.start();
    try {
      const snap = await pollUntil(task, store, (rs) => rs.length >= SNAPSHOT_IDS.length);
      for (const [i, row] of TORTURE_ROWS.entries()) await conn.query(tortureInsert(database, 'torture', BINLOG_IDS[i] as number, row));
      const streamed = await pollUntil(task, store, (rs) => rs.length >= BINLOG_IDS.length);
      const selected = await selectRaw(conn, database);
      const problems: string[] = [];
      for (const [source, ids, records] of [
        ['snapshot', SNAPSHOT_IDS, snap.records],
        ['binlog', BINLOG_IDS, streamed.records],
      ] as const) {
        const byId = rowsById(records);
        for (const id of ids) {
          const message = byId.get(id);
          const raw = selected.get(id);
          if (message === undefined || raw === undefined) {
            problems.push(`${source} row ${id}: missing`);
            continue;
          }
          TORTURE_COLUMNS.forEach((col, i) => {
            const diff = canalDiff(col, message.data?.[0]?.[col.name], raw[i + 1] ?? null);
            if (diff !== undefined) problems.push(`${source} row ${id} ${col.name} ${col.type}: ${diff}`);
          });
        }
      }
      return { problems, snapshot: snap.records, streamed: streamed.records };
    } finally {
      await task.stop();
    }
  } finally {
    await conn.end();
  }
}
