import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mysqlBinlogSource } from '../../../connectors/mysql-binlog/index.ts';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { silentLogger, systemClock } from '../../../src/sdk/index.ts';
import { useMariaDb } from '../../harness/mariadb.ts';
import { readFileSinkOutput, tempDir } from '../runtime/support.ts';
import { uniqueDatabase } from './support.ts';

const db = useMariaDb();
beforeAll(db.start);
afterAll(db.stop);

function pipelineFile(name: string): string {
  return fileURLToPath(new URL(`../../../pipelines/${name}`, import.meta.url));
}

/**
 * Runs a pipeline file against the harness MariaDB and the test Kafka: waits for the snapshot to reach
 * the sink, runs `during`, then waits until `done` holds for the sink output.
 */
async function runPipeline(file: string, database: string, out: string, during: () => Promise<void>, done: (lines: Awaited<ReturnType<typeof readFileSinkOutput>>) => boolean): Promise<Awaited<ReturnType<typeof readFileSinkOutput>>> {
  const registry = createBuiltinRegistry();
  if (!registry.has('source', 'mysql-binlog')) registry.register(mysqlBinlogSource);
  const env = { MYSQL_HOST: db.server.host, MYSQL_PORT: String(db.server.port), MYSQL_USER: 'root', MYSQL_PASSWORD: '', MYSQL_DATABASE: database, MYSQL_SERVER_ID: String(1000 + Math.floor(Math.random() * 1000)) };
  const { spec, errors } = await loadPipelineFile(file, { env, registry });
  expect(errors).toEqual([]);
  if (spec === undefined) throw new Error('no spec');
  // Unique per run on a shared Kafka: the pipeline name keys the stored positions and the groups.
  spec.name = `${spec.name}-${database}`.replace(/_/g, '-');
  (spec.sinks[0] as { config: Record<string, unknown> }).config.directory = out;
  const client = createKafkaClient({ brokers: inject('kafkaBrokers') }, { logger: silentLogger, clientId: spec.name });
  const runner = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'all', exitWhenDone: false, progressIntervalMs: 60_000 });
  const stop = new AbortController();
  const running = runner.run(stop.signal);
  const waitFor = async (condition: (lines: Awaited<ReturnType<typeof readFileSinkOutput>>) => boolean): Promise<Awaited<ReturnType<typeof readFileSinkOutput>>> => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const lines = await readFileSinkOutput(out);
      if (condition(lines)) return lines;
      if (Date.now() > deadline) throw new Error(`pipeline output incomplete: ${lines.length} lines`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  try {
    // The snapshot's rows reach the sink first; the changes made after it come from the binlog.
    await waitFor((lines) => lines.length >= 1);
    await during();
    return await waitFor(done);
  } finally {
    stop.abort();
    await running;
  }
}

async function seedShop(database: string): Promise<void> {
  await db.server.query(`CREATE DATABASE \`${database}\``);
  await db.server.query(`CREATE TABLE \`${database}\`.customers (id INT PRIMARY KEY, name VARCHAR(40), balance DECIMAL(12,2))`);
  await db.server.query(`CREATE TABLE \`${database}\`.orders (id BIGINT UNSIGNED PRIMARY KEY, customer_id INT, total DECIMAL(10,2), placed DATETIME(3))`);
  await db.server.query(`INSERT INTO \`${database}\`.customers VALUES (1, 'Ada', 10.50), (2, 'Linus', 0.00)`);
  await db.server.query(`INSERT INTO \`${database}\`.orders VALUES (18446744073709551615, 1, 99.99, '2024-05-06 07:08:09.123')`);
}

async function changeShop(database: string): Promise<void> {
  await db.server.query(`INSERT INTO \`${database}\`.orders VALUES (2, 2, 5.00, '2024-05-07 00:00:00.000')`);
  await db.server.query(`UPDATE \`${database}\`.customers SET balance = balance - 5 WHERE id = 2`);
  await db.server.query(`DELETE FROM \`${database}\`.orders WHERE id = 18446744073709551615`);
}

describe('example CDC pipelines against the harness MariaDB', () => {
  it('pipelines/mysql-cdc-canal.yaml: snapshot then changes, Canal messages keyed by primary key', async () => {
    const database = uniqueDatabase('shop');
    await seedShop(database);
    const dir = await tempDir('mysql-cdc-canal');
    try {
      const lines = await runPipeline(pipelineFile('mysql-cdc-canal.yaml'), database, dir.path, () => changeShop(database), (ls) => ls.length >= 3);
      const summary = lines.map((l) => `${l.topic} ${String((l.value as { type: string }).type)} ${JSON.stringify((l.value as { data: unknown[] }).data[0])}`);
      const big = `{"id":"18446744073709551615","customer_id":"1","total":"99.99","placed":"2024-05-06 07:08:09.123"}`;
      // One key per partition keeps each row's changes in order; across keys there is no order.
      expect(summary.sort()).toEqual(
        [`cdc.${database}.orders INSERT ${big}`, `cdc.${database}.orders DELETE ${big}`, `cdc.${database}.orders INSERT {"id":"2","customer_id":"2","total":"5.00","placed":"2024-05-07 00:00:00.000"}`].sort(),
      );
      const forBig = lines.filter((l) => l.key === '{"id":"18446744073709551615"}').map((l) => (l.value as { type: string }).type);
      expect(forBig).toEqual(['INSERT', 'DELETE']);
    } finally {
      await dir.cleanup();
    }
  });

  it('pipelines/mysql-cdc-debezium.yaml: Debezium envelopes with Connect JSON schemas', async () => {
    const database = uniqueDatabase('shop');
    await seedShop(database);
    const dir = await tempDir('mysql-cdc-debezium');
    try {
      const lines = await runPipeline(pipelineFile('mysql-cdc-debezium.yaml'), database, dir.path, () => changeShop(database), (ls) => ls.length >= 4);
      const ops = lines.map((l) => (l.value === null ? 'tombstone' : String((l.value as { op?: string }).op)));
      expect([...ops].sort()).toEqual(['c', 'd', 'r', 'tombstone']);
      const read = lines.find((l) => (l.value as { op?: string } | null)?.op === 'r');
      // Connect JSON with schemas: BIGINT UNSIGNED and DECIMAL are exact Decimals, read back as text.
      expect(read?.key).toEqual({ id: '18446744073709551615' });
      expect(read?.value).toMatchObject({
        before: null,
        after: { id: '18446744073709551615', customer_id: 1, total: '99.99', placed: 1714979289123 },
        source: { connector: 'mysql', name: 'shop', db: database, table: 'orders', snapshot: 'last' },
      });
      const bigKeyOps = lines.filter((l) => JSON.stringify(l.key) === JSON.stringify({ id: '18446744073709551615' })).map((l) => (l.value === null ? 'tombstone' : (l.value as { op: string }).op));
      expect(bigKeyOps).toEqual(['r', 'd', 'tombstone']);
    } finally {
      await dir.cleanup();
    }
  });
});
