import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatMessage } from '../../../connectors/mysql-binlog/output/canal-format.ts';
import { probeDocker } from '../../harness/docker.ts';
import { OffsetStore, binlogTask, pollUntil, uniqueDatabase, type SqlServer } from './support.ts';
import { canalTortureRoundTrip } from './torture-round-trip.ts';

/**
 * The same checks against MySQL 8 (GTID mode on, binary JSON, v2 row events, COM_BINLOG_DUMP_GTID,
 * caching_sha2_password), in a container. Needs a Docker engine: without one these tests are skipped
 * and say why; with one they run. Image: $MYSQL_IMAGE, default mysql:8.4.
 */
const docker = await probeDocker(process.env);
const image = process.env.MYSQL_IMAGE ?? 'mysql:8.4';
if (!docker.reachable) process.stderr.write(`[mysql-binlog] skipping MySQL 8 tests: no Docker engine (${docker.reason})\n`);

describe.skipIf(!docker.reachable)(`MySQL 8 (${image}, testcontainers)`, () => {
  let server: SqlServer;
  let stop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const password = 'tributary-test';
    const container = await new GenericContainer(image)
      .withEnvironment({ MYSQL_ROOT_PASSWORD: password })
      .withCommand(['--server-id=1', '--log-bin=binlog', '--binlog-format=ROW', '--binlog-row-image=FULL', '--binlog-row-metadata=FULL', '--gtid-mode=ON', '--enforce-gtid-consistency=ON'])
      .withExposedPorts(3306)
      .withWaitStrategy(Wait.forLogMessage(/ready for connections.*port: 3306/))
      .withStartupTimeout(180_000)
      .start();
    const host = container.getHost();
    const port = container.getMappedPort(3306);
    const pool = mysql.createPool({ host, port, user: 'root', password, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
    server = {
      host,
      port,
      user: 'root',
      password,
      query: async <T>(sql: string, params: unknown[] = []): Promise<T> => (await pool.query(sql, params))[0] as T,
      connection: (database?: string) => mysql.createConnection({ host, port, user: 'root', password, database, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true }),
    };
    stop = async () => {
      await pool.end();
      await container.stop();
    };
  }, 300_000);

  afterAll(async () => {
    await stop();
  });

  it('type torture: Canal values equal SELECT through snapshot and binlog', async () => {
    const run = await canalTortureRoundTrip(server);
    expect(run.problems).toEqual([]);
  });

  it('resumes a split transaction from its GTID-set offset', async () => {
    const database = uniqueDatabase('mysql_resume');
    await server.query(`CREATE DATABASE \`${database}\``);
    await server.query(`CREATE TABLE \`${database}\`.t (id INT PRIMARY KEY, j JSON)`);
    const store = new OffsetStore();
    const config = { include: [`${database}\\..*`], snapshot: 'never' as const, maxTransactionRows: 100 };
    const first = binlogTask(server, config, store);
    await first.start();
    const conn = await server.connection(database);
    await conn.query('START TRANSACTION');
    for (let i = 1; i <= 250; i++) await conn.query('INSERT INTO t VALUES (?, ?)', [i, JSON.stringify({ i, s: 'x'.repeat(i % 7) })]);
    await conn.query('COMMIT');
    await conn.end();
    const part = await pollUntil(first, store, (rs) => rs.length >= 100);
    await first.stop();
    expect(typeof part.records[99]?.sourceOffset.gtid).toBe('string');
    const second = binlogTask(server, config, store);
    await second.start();
    const rest = await pollUntil(second, store, (rs) => rs.length >= 150);
    await second.stop();
    const ids = [...part.records, ...rest.records].map((r) => Number((r.value as FlatMessage).data?.[0]?.id));
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect((rest.records[0]?.value as FlatMessage).data?.[0]?.j).toBe('{"i": 101, "s": "xxx"}');
  });
});
