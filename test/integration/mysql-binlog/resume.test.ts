import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatMessage } from '../../../connectors/mysql-binlog/output/canal-format.ts';
import { headerValue, type SourceRecord } from '../../../src/sdk/index.ts';
import { useMariaDb } from '../../harness/mariadb.ts';
import { OffsetStore, binlogTask, pollUntil, uniqueDatabase } from './support.ts';

const db = useMariaDb();
beforeAll(db.start);
afterAll(db.stop);

/** A record's identity: transaction, index within it, operation and primary key. */
function identity(r: SourceRecord): string {
  const m = r.value as FlatMessage;
  return `${headerValue(r, 'tributary.txn.id')}#${headerValue(r, 'tributary.txn.row')} ${m.type} ${m.data?.[0]?.id ?? m.sql}`;
}

/**
 * A workload of many transactions: single rows, multi-row statements, one transaction far larger
 * than maxTransactionRows, updates and deletes; followed by a marker row that ends the test's reading.
 */
async function runWorkload(database: string): Promise<void> {
  const q = (sql: string): Promise<unknown> => db.server.query(sql);
  await q(`CREATE TABLE \`${database}\`.t (id INT PRIMARY KEY, v VARCHAR(20), n BIGINT UNSIGNED)`);
  await q(`CREATE TABLE \`${database}\`.marker (id INT PRIMARY KEY)`);
  await q(`INSERT INTO \`${database}\`.t VALUES (1, 'a', 1)`);
  await q(`INSERT INTO \`${database}\`.t SELECT seq, CONCAT('s', seq), seq FROM \`${database}\`.seq_2_to_2600`);
  const conn = await db.server.connection(database);
  await conn.query('START TRANSACTION');
  await conn.query("UPDATE t SET v = 'u' WHERE id <= 300");
  await conn.query('DELETE FROM t WHERE id BETWEEN 301 AND 350');
  await conn.query('INSERT INTO t SELECT seq, NULL, 18446744073709551615 FROM seq_5001_to_5400');
  await conn.query('COMMIT');
  await conn.end();
  for (let i = 0; i < 15; i++) await q(`UPDATE \`${database}\`.t SET n = n + 1 WHERE id = ${i + 1}`);
  await q(`INSERT INTO \`${database}\`.marker VALUES (1)`);
}

const sawMarker = (rs: SourceRecord[]): boolean => rs.some((r) => r.topic.endsWith('.marker'));

describe('resume from any committed offset neither loses nor repeats a row', () => {
  for (const useGtid of [true, false]) {
    it(`restarting after every batch reproduces the uninterrupted stream (${useGtid ? 'GTID' : 'file + position'})`, async () => {
      const database = uniqueDatabase(useGtid ? 'resume_gtid' : 'resume_pos');
      await db.server.query(`CREATE DATABASE \`${database}\``);
      const config = { include: [`${database}\\..*`], snapshot: 'never' as const, maxTransactionRows: 700, maxBatchRows: 500, useGtid };
      // Reference: one task, never interrupted. Started before the workload (snapshot: never).
      const refStore = new OffsetStore();
      const reference = binlogTask(db.server, config, refStore);
      await reference.start();
      // The restarting runs share the reference's starting point.
      const restartStore = new OffsetStore();
      const startOffset = { ...(reference.position as object) };
      restartStore.offsets.set(JSON.stringify({ mysqlBinlog: 'test-cdc' }), { ...startOffset });
      await runWorkload(database);
      const full = await pollUntil(reference, refStore, sawMarker, 60_000);
      await reference.stop();
      // Every transaction up to maxTransactionRows rows arrives in one batch, a larger one in parts.
      for (const batch of full.batches) {
        const first = batch[0] as SourceRecord;
        const last = batch[batch.length - 1] as SourceRecord;
        const sameTxn = batch.every((r) => headerValue(r, 'tributary.txn.id') === headerValue(first, 'tributary.txn.id'));
        if (!sameTxn) expect(headerValue(last, 'tributary.txn.last')).toBe('true');
        expect(batch.length).toBeLessThanOrEqual(700);
      }
      const big = full.records.filter((r) => (r.value as FlatMessage).data?.[0]?.id === '5400');
      expect(big).toHaveLength(1);

      const resumed: SourceRecord[] = [];
      let restarts = 0;
      const signal = new AbortController().signal;
      while (!sawMarker(resumed)) {
        const task = binlogTask(db.server, config, restartStore);
        await task.start();
        try {
          let batch: SourceRecord[] | null = [];
          for (let tries = 0; batch !== null && batch.length === 0 && tries < 50; tries++) batch = await task.poll(signal);
          if (batch === null || batch.length === 0) throw new Error('no batch after restart');
          // Every third batch "crashes" before its Kafka transaction commits: it must come again.
          if (restarts % 3 === 2) {
            restarts++;
            continue;
          }
          resumed.push(...batch);
          restartStore.commit(batch);
          restarts++;
        } finally {
          await task.stop();
        }
      }
      expect(resumed.map(identity)).toEqual(full.records.map(identity));
      expect(restarts).toBeGreaterThan(5);
    });
  }

  it('a committed mid-transaction offset resumes inside the transaction', async () => {
    const database = uniqueDatabase('resume_mid');
    await db.server.query(`CREATE DATABASE \`${database}\``);
    await db.server.query(`CREATE TABLE \`${database}\`.t (id INT PRIMARY KEY)`);
    const store = new OffsetStore();
    const config = { include: [`${database}\\..*`], snapshot: 'never' as const, maxTransactionRows: 1000 };
    const first = binlogTask(db.server, config, store);
    await first.start();
    await db.server.query(`INSERT INTO \`${database}\`.t SELECT seq FROM \`${database}\`.seq_1_to_2500`);
    const part = await pollUntil(first, store, (rs) => rs.length >= 1000);
    await first.stop();
    expect(part.records).toHaveLength(1000);
    expect(part.records[999]?.sourceOffset).toMatchObject({ row: 1000 });
    expect(headerValue(part.records[999] as SourceRecord, 'tributary.txn.last')).toBe('false');
    const second = binlogTask(db.server, config, store);
    await second.start();
    const rest = await pollUntil(second, store, (rs) => rs.length >= 1500);
    await second.stop();
    const ids = [...part.records, ...rest.records].map((r) => Number((r.value as FlatMessage).data?.[0]?.id));
    expect(ids).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(rest.records[1499]?.sourceOffset).toMatchObject({ row: 0 });
    expect(headerValue(rest.records[1499] as SourceRecord, 'tributary.txn.last')).toBe('true');
  });
});
