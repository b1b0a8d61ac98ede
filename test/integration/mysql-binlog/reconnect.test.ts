import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatMessage } from '../../../connectors/mysql-binlog/output/canal-format.ts';
import { TributaryError, type SourceRecord } from '../../../src/sdk/index.ts';
import { useMariaDb } from '../../harness/mariadb.ts';
import { OffsetStore, binlogTask, uniqueDatabase } from './support.ts';

const db = useMariaDb();
beforeAll(db.start);
afterAll(db.stop);

describe('server crash while streaming', () => {
  it('fails polls with retriable errors while the server is down, then continues without loss or repeats', async () => {
    const database = uniqueDatabase('reconnect');
    await db.server.query(`CREATE DATABASE \`${database}\``);
    await db.server.query(`CREATE TABLE \`${database}\`.t (id INT PRIMARY KEY)`);
    const store = new OffsetStore();
    const task = binlogTask(db.server, { include: [`${database}\\..*`], snapshot: 'never', heartbeatIntervalMs: 500, connectTimeoutMs: 2000 }, store);
    await task.start();
    const signal = new AbortController().signal;
    const records: SourceRecord[] = [];
    const errors: TributaryError[] = [];
    const pollSome = async (until: () => boolean): Promise<void> => {
      const deadline = Date.now() + 60_000;
      while (!until()) {
        if (Date.now() > deadline) throw new Error(`timed out with ${records.length} records`);
        try {
          const batch = (await task.poll(signal)) ?? [];
          records.push(...batch);
          store.commit(batch);
        } catch (err) {
          // The runtime retries retriable errors with backoff; so does this loop.
          if (!(err instanceof TributaryError) || !err.retriable) throw err;
          errors.push(err);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    try {
      for (let i = 1; i <= 50; i++) await db.server.query(`INSERT INTO \`${database}\`.t VALUES (${i})`);
      await pollSome(() => records.length >= 50);
      await db.server.kill();
      const downSince = Date.now();
      await pollSome(() => errors.length >= 1 || Date.now() - downSince > 5_000);
      await db.server.restart();
      for (let i = 51; i <= 100; i++) await db.server.query(`INSERT INTO \`${database}\`.t VALUES (${i})`);
      await pollSome(() => records.length >= 100);
    } finally {
      await task.stop();
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(records.map((r) => Number((r.value as FlatMessage).data?.[0]?.id))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});
