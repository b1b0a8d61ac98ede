import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatMessage } from '../../../connectors/mysql-binlog/output/canal-format.ts';
import type { SourceRecord } from '../../../src/sdk/index.ts';
import { useMariaDb, type MariaDbHarness } from '../../harness/mariadb.ts';
import { OffsetStore, binlogTask, pollUntil, uniqueDatabase } from './support.ts';

const full = useMariaDb();
const minimal = useMariaDb({ serverArgs: ['--binlog-row-metadata=MINIMAL'] });
beforeAll(async () => {
  await Promise.all([full.start(), minimal.start()]);
});
afterAll(async () => {
  await Promise.all([full.stop(), minimal.stop()]);
});

/** Statements and the row each INSERT/UPDATE must decode to, as the table is at that moment. */
function script(database: string): Array<{ sql: string; row?: Record<string, string | null> }> {
  const t = `\`${database}\`.evolve`;
  return [
    { sql: `INSERT INTO ${t} VALUES (1, 10, 'one')`, row: { id: '1', a: '10', b: 'one' } },
    { sql: `ALTER TABLE ${t} ADD COLUMN c DECIMAL(6,2) AFTER a, ADD COLUMN z VARCHAR(5) CHARACTER SET latin1 FIRST` },
    { sql: `INSERT INTO ${t} (id, a, c, b, z) VALUES (2, 20, 1.5, 'two', 'ÿ€')`, row: { z: 'ÿ€', id: '2', a: '20', c: '1.50', b: 'two' } },
    { sql: `ALTER TABLE ${t} DROP COLUMN a` },
    { sql: `INSERT INTO ${t} (id, c, b) VALUES (3, 3.25, 'three')`, row: { z: null, id: '3', c: '3.25', b: 'three' } },
    { sql: `ALTER TABLE ${t} MODIFY COLUMN b MEDIUMTEXT CHARACTER SET latin1` },
    { sql: `INSERT INTO ${t} (id, c, b) VALUES (4, 4.5, 'fourÿ€')`, row: { z: null, id: '4', c: '4.50', b: 'fourÿ€' } },
    { sql: `ALTER TABLE ${t} CHANGE COLUMN c amount DECIMAL(8,3) NULL DEFAULT 0, RENAME COLUMN z TO tag, ADD COLUMN big BIGINT UNSIGNED` },
    {
      sql: `UPDATE ${t} SET amount = -7.75, big = 18446744073709551615 WHERE id = 4`,
      row: { tag: null, id: '4', amount: '-7.750', b: 'fourÿ€', big: '18446744073709551615' },
    },
    { sql: `CREATE TABLE \`${database}\`.later (k VARCHAR(10) PRIMARY KEY, n INT UNSIGNED, e ENUM('x','y'))` },
    { sql: `INSERT INTO \`${database}\`.later VALUES ('k1', 4294967295, 'y')`, row: { k: 'k1', n: '4294967295', e: 'y' } },
    { sql: `RENAME TABLE \`${database}\`.later TO \`${database}\`.renamed` },
    { sql: `INSERT INTO \`${database}\`.renamed VALUES ('k2', 7, 'x')`, row: { k: 'k2', n: '7', e: 'x' } },
  ];
}

async function runDdlScenario(server: MariaDbHarness, pollBetweenSteps: boolean): Promise<void> {
  const database = uniqueDatabase(pollBetweenSteps ? 'ddl_step' : 'ddl_lag');
  await server.query(`CREATE DATABASE \`${database}\``);
  await server.query(`CREATE TABLE \`${database}\`.evolve (id INT PRIMARY KEY, a INT, b VARCHAR(10)) DEFAULT CHARSET=utf8mb4`);
  const store = new OffsetStore();
  const task = binlogTask(server, { include: [`${database}\\..*`], snapshot: 'initial' }, store);
  await task.start();
  const steps = script(database);
  const records: SourceRecord[] = [];
  const expectedRows = steps.filter((s) => s.row !== undefined).length;
  const ddlCount = steps.length - expectedRows;
  try {
    // The snapshot of the empty table ends in the first poll (DDL would wait for it); every change
    // after that comes from the binlog.
    expect(await task.poll(new AbortController().signal)).toEqual([]);
    for (const step of steps) {
      await server.query(step.sql);
      if (pollBetweenSteps) records.push(...(await pollUntil(task, store, (rs) => rs.length >= 1)).records);
    }
    const total = expectedRows + ddlCount;
    records.push(...(await pollUntil(task, store, (rs) => records.length + rs.length >= total)).records);
  } finally {
    await task.stop();
  }
  const rows = records.map((r) => r.value as FlatMessage).filter((m) => !m.isDdl);
  const ddl = records.map((r) => r.value as FlatMessage).filter((m) => m.isDdl);
  expect(rows.map((m) => m.data?.[0])).toEqual(steps.filter((s) => s.row !== undefined).map((s) => s.row));
  expect(ddl.map((m) => m.type)).toEqual(['ALTER', 'ALTER', 'ALTER', 'ALTER', 'CREATE', 'RENAME']);
  expect(records.filter((r) => (r.value as FlatMessage).isDdl).every((r) => r.topic === 'cdc.ddl')).toBe(true);
  const renamed = records.find((r) => (r.value as FlatMessage).data?.[0]?.k === 'k2');
  expect(renamed?.topic).toBe(`cdc.${database}.renamed`);
  expect((renamed?.value as FlatMessage).pkNames).toEqual(['k']);
}

describe('DDL mid-stream: rows on both sides of ADD, DROP, MODIFY, CHANGE, RENAME decode with their own columns', () => {
  it('binlog_row_metadata=FULL, reading far behind the DDLs', async () => {
    await runDdlScenario(full.server, false);
  });

  it('binlog_row_metadata=MINIMAL (schema history), reading after each step', async () => {
    await runDdlScenario(minimal.server, true);
  });

  it('binlog_row_metadata=MINIMAL (schema history), reading far behind the DDLs', async () => {
    await runDdlScenario(minimal.server, false);
  });

  it('MINIMAL: the schema history travels in the offset, so a restart far behind the DDLs still decodes', async () => {
    const server = minimal.server;
    const database = uniqueDatabase('ddl_restart');
    await server.query(`CREATE DATABASE \`${database}\``);
    await server.query(`CREATE TABLE \`${database}\`.t (id INT PRIMARY KEY, a INT)`);
    const store = new OffsetStore();
    const config = { include: [`${database}\\..*`] };
    const first = binlogTask(server, config, store);
    await first.start();
    await server.query(`INSERT INTO \`${database}\`.t VALUES (1, 1)`);
    const one = await pollUntil(first, store, (rs) => rs.length >= 1);
    await first.stop();
    expect(one.records[0]?.sourceOffset.schemas).toBeDefined();
    // While the task is down the table changes twice; the catalog now says (id, b, c).
    await server.query(`INSERT INTO \`${database}\`.t VALUES (2, 2)`);
    await server.query(`ALTER TABLE \`${database}\`.t DROP COLUMN a, ADD COLUMN b VARCHAR(3)`);
    await server.query(`INSERT INTO \`${database}\`.t VALUES (3, 'bbb')`);
    await server.query(`ALTER TABLE \`${database}\`.t ADD COLUMN c INT FIRST`);
    await server.query(`INSERT INTO \`${database}\`.t VALUES (40, 4, 'b4')`);
    const second = binlogTask(server, config, store);
    await second.start();
    const rest = await pollUntil(second, store, (rs) => rs.filter((r) => !(r.value as FlatMessage).isDdl).length >= 3);
    await second.stop();
    expect(rest.records.map((r) => r.value as FlatMessage).filter((m) => !m.isDdl).map((m) => m.data?.[0])).toEqual([
      { id: '2', a: '2' },
      { id: '3', b: 'bbb' },
      { c: '40', id: '4', b: 'b4' },
    ]);
  });
});
