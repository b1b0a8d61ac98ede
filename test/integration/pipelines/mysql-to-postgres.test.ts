import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { silentLogger, systemClock } from '../../../src/sdk/index.ts';
import { useMariaDb } from '../../harness/mariadb.ts';
import { createDatabase, type PostgresDatabase } from '../../harness/postgres.ts';
import { waitFor } from '../../support/wait-for.ts';
import { uniqueDatabase } from '../mysql-binlog/support.ts';

const db = useMariaDb();
beforeAll(db.start);
afterAll(db.stop);

const PIPELINE = fileURLToPath(new URL('../../../pipelines/mysql-to-postgres.yaml', import.meta.url));

// The shipped CDC replication pipeline: MariaDB (snapshot, then binlog) -> Kafka -> PostgreSQL.
describe('pipelines/mysql-to-postgres.yaml', () => {
  let pg: PostgresDatabase;
  beforeAll(async () => {
    pg = await createDatabase('tributary_mysql_pg');
  });
  afterAll(async () => {
    await pg.drop();
  });

  it('replicates a snapshot and later inserts, updates and deletes; PostgreSQL equals MariaDB row for row', async () => {
    const database = uniqueDatabase('shop');
    const q = (sql: string): Promise<unknown> => db.server.query(sql);
    await q(`CREATE DATABASE \`${database}\``);
    await q(`CREATE TABLE \`${database}\`.customers (id INT PRIMARY KEY, name VARCHAR(40), balance DECIMAL(12,2))`);
    await q(`CREATE TABLE \`${database}\`.orders (id BIGINT PRIMARY KEY, customer_id INT, total DECIMAL(10,2))`);
    await q(`INSERT INTO \`${database}\`.customers VALUES (1, 'Ada', 10.50), (2, 'Linus', 0.00)`);
    await q(`INSERT INTO \`${database}\`.orders VALUES (1, 1, 99.99), (2, 2, 5.00)`);

    const registry = createBuiltinRegistry();
    const env = { MYSQL_HOST: db.server.host, MYSQL_PORT: String(db.server.port), MYSQL_DATABASE: database, MYSQL_SERVER_ID: String(2000 + Math.floor(Math.random() * 1000)), PG_URL: pg.url };
    const { spec, errors } = await loadPipelineFile(PIPELINE, { env, registry });
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');
    spec.name = `mysql-to-postgres-${database}`.replace(/_/g, '-');
    const client = createKafkaClient({ brokers: inject('kafkaBrokers') }, { logger: silentLogger, clientId: spec.name });
    const runner = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'all', exitWhenDone: false, progressIntervalMs: 60_000 });
    const stop = new AbortController();
    const running = runner.run(stop.signal);
    const customers = `shop_${database}_customers`;
    const orders = `shop_${database}_orders`;
    const rows = async (table: string, columns: string): Promise<string> => {
      try {
        return JSON.stringify(await pg.query(`SELECT ${columns} FROM "public"."${table}" ORDER BY id`));
      } catch {
        return 'missing';
      }
    };
    try {
      await waitFor('the snapshot in PostgreSQL', async () => (await rows(orders, 'id')) === '[{"id":"1"},{"id":"2"}]' && (await rows(customers, 'id')) !== 'missing', 90_000);
      await q(`INSERT INTO \`${database}\`.orders VALUES (3, 1, 12.34)`);
      await q(`UPDATE \`${database}\`.customers SET balance = balance - 5, name = 'Linus T' WHERE id = 2`);
      await q(`DELETE FROM \`${database}\`.orders WHERE id = 2`);
      const expectOrders = JSON.stringify([{ id: '1', customer_id: 1, total: '99.99' }, { id: '3', customer_id: 1, total: '12.34' }]);
      const expectCustomers = JSON.stringify([{ id: 1, name: 'Ada', balance: '10.50' }, { id: 2, name: 'Linus T', balance: '-5.00' }]);
      await waitFor(
        'the changes in PostgreSQL',
        async () => (await rows(orders, 'id, customer_id, total')) === expectOrders && (await rows(customers, 'id, name, balance')) === expectCustomers,
        90_000,
      );
    } finally {
      stop.abort();
      await running;
    }
    expect(await rows(orders, 'id, customer_id, total')).toBe(JSON.stringify([{ id: '1', customer_id: 1, total: '99.99' }, { id: '3', customer_id: 1, total: '12.34' }]));
  });
});
