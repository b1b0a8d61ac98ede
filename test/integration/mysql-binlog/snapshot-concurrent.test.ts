import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatMessage } from '../../../connectors/mysql-binlog/output/canal-format.ts';
import { headerValue, type SourceRecord } from '../../../src/sdk/index.ts';
import { useMariaDb } from '../../harness/mariadb.ts';
import { OffsetStore, binlogTask, pollUntil, uniqueDatabase } from './support.ts';

const db = useMariaDb();
beforeAll(db.start);
afterAll(db.stop);

type Row = Record<string, string | null>;

/**
 * Applies records to a model of the table, strictly: a snapshot row or INSERT must be new, an UPDATE
 * or DELETE must find the row exactly as its before-image says. A gap (a change never seen) or a
 * duplicate (a change seen twice, or a snapshot row that already includes a streamed change) breaks
 * one of these, so a clean run proves the hand-over neither lost nor repeated anything.
 */
function reconstruct(records: SourceRecord[], table: string): { rows: Map<string, Row>; problems: string[] } {
  const rows = new Map<string, Row>();
  const problems: string[] = [];
  for (const r of records) {
    const m = r.value as FlatMessage;
    if (m.isDdl || m.table !== table || m.data === null) continue;
    const data = m.data[0] as Row;
    const id = data.id as string;
    const existing = rows.get(id);
    const where = `${headerValue(r, 'tributary.source')} ${m.type} id=${id}`;
    if (m.type === 'INSERT') {
      if (existing !== undefined) problems.push(`${where}: already present`);
      rows.set(id, data);
    } else if (m.type === 'UPDATE') {
      if (existing === undefined) problems.push(`${where}: missing`);
      else {
        const before = { ...data, ...(m.old?.[0] ?? {}) };
        if (JSON.stringify(before) !== JSON.stringify(existing)) problems.push(`${where}: before-image ${JSON.stringify(before)} != model ${JSON.stringify(existing)}`);
      }
      rows.set(id, data);
    } else if (m.type === 'DELETE') {
      if (existing === undefined) problems.push(`${where}: missing`);
      else if (JSON.stringify(data) !== JSON.stringify(existing)) problems.push(`${where}: deleted image differs from model`);
      rows.delete(id);
    }
  }
  return { rows, problems };
}

describe('snapshot under concurrent writes, then streaming', () => {
  it('reconstructs the table exactly, with no change lost or repeated across the hand-over', async () => {
    const database = uniqueDatabase('snap');
    await db.server.query(`CREATE DATABASE \`${database}\``);
    await db.server.query(`CREATE TABLE \`${database}\`.t (id INT PRIMARY KEY, v VARCHAR(50), n BIGINT, d DECIMAL(12,3), ts DATETIME(6))`);
    await db.server.query(`CREATE TABLE \`${database}\`.marker (id INT PRIMARY KEY)`);
    await db.server.query(`INSERT INTO \`${database}\`.t SELECT seq, CONCAT('v', seq), seq * 7, seq / 8, '2024-01-01 00:00:00.000001' + INTERVAL seq SECOND FROM \`${database}\`.seq_1_to_40000`);

    let writing = true;
    let nextId = 100_000;
    let writes = 0;
    const writer = async (seed: number): Promise<void> => {
      const conn = await db.server.connection(database);
      let x = seed;
      const rnd = (n: number): number => {
        x = (x * 1103515245 + 12345) % 2 ** 31;
        return x % n;
      };
      try {
        while (writing) {
          const op = rnd(10);
          const id = 1 + rnd(40_000);
          if (op < 4) await conn.query('UPDATE t SET v = ?, n = n + 1, d = d + 0.125 WHERE id = ?', [`w${seed}-${writes}`, id]);
          else if (op < 6) await conn.query('DELETE FROM t WHERE id = ?', [id]);
          else if (op < 9) await conn.query("INSERT INTO t VALUES (?, 'new', -1, -0.5, NOW(6))", [nextId++]);
          else {
            await conn.query('START TRANSACTION');
            await conn.query('UPDATE t SET n = n * 2 WHERE id BETWEEN ? AND ?', [id, id + 20]);
            await conn.query("INSERT INTO t VALUES (?, 'txn', 0, 0, NOW(6))", [nextId++]);
            await conn.query('COMMIT');
          }
          writes++;
        }
      } finally {
        await conn.end();
      }
    };
    const writers = [writer(1), writer(2), writer(3)];
    const store = new OffsetStore();
    const task = binlogTask(db.server, { include: [`${database}\\..*`], snapshotChunkRows: 1000 }, store);
    let records: SourceRecord[] = [];
    try {
      await task.start();
      const snapshotDone = (rs: SourceRecord[]): boolean => rs.some((r) => headerValue(r, 'tributary.source') === 'binlog');
      records = (await pollUntil(task, store, snapshotDone, 120_000)).records;
      writing = false;
      await Promise.all(writers);
      await db.server.query(`INSERT INTO \`${database}\`.marker VALUES (1)`);
      records.push(...(await pollUntil(task, store, (rs) => rs.some((r) => r.topic.endsWith('.marker')), 120_000)).records);
    } finally {
      writing = false;
      await Promise.all(writers);
      await task.stop();
    }
    const snapshotRows = records.filter((r) => headerValue(r, 'tributary.source') === 'snapshot');
    expect(snapshotRows.length).toBeGreaterThan(30_000);
    expect(writes).toBeGreaterThan(100);
    // The last snapshot row carries the streaming position, not a "snapshot running" one.
    expect(snapshotRows[snapshotRows.length - 1]?.sourceOffset.snapshot).toBeUndefined();
    expect(snapshotRows[0]?.sourceOffset.snapshot).toBe('running');

    const { rows, problems } = reconstruct(records, 't');
    expect(problems.slice(0, 10)).toEqual([]);
    const selected = await db.server.query<Array<Record<string, string | null>>>(`SELECT CAST(id AS CHAR) id, v, CAST(n AS CHAR) n, CAST(d AS CHAR) d, CAST(ts AS CHAR) ts FROM \`${database}\`.t ORDER BY id`);
    expect(rows.size).toBe(selected.length);
    const mismatches = selected.filter((s) => JSON.stringify(rows.get(s.id as string)) !== JSON.stringify(s));
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
