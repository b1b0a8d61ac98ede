import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../harness/child-process.ts';
import { createDatabase, type PostgresDatabase } from '../../harness/postgres.ts';
import { compareOrders, expectedOrders, type StoredOrder } from '../chaos/expected-orders.ts';
import { tempDir } from '../runtime/support.ts';

const CLI = fileURLToPath(new URL('../../../src/cli/tributary.js', import.meta.url));
const PIPELINE = fileURLToPath(new URL('../../../pipelines/datagen-to-postgres.yaml', import.meta.url));

/**
 * pipelines/datagen-to-postgres.yaml as a user runs it: the CLI, the embedded broker, PG_URL naming
 * a database. The table must hold exactly the orders datagen generates for the file's seed and count.
 */
describe('pipelines/datagen-to-postgres.yaml', () => {
  let db: PostgresDatabase;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    db = await createDatabase('pipeline_file');
    dir = await tempDir('tributary-datagen-to-postgres');
  });
  afterAll(async () => {
    await db?.drop();
    await dir?.cleanup();
  });

  it('runs to completion on the embedded broker and leaves exactly the generated orders, typed from their schema', async () => {
    const run = await runCommand(process.execPath, [CLI, 'run', PIPELINE, '--data-dir', `${dir.path}/data`, '--broker-port', '0'], {
      cwd: dir.path,
      env: { ...process.env, PG_URL: db.url, TRIBUTARY_LOG_LEVEL: 'warn' },
      timeoutMs: 110_000,
    });
    expect(run.code, run.output).toBe(0);
    const stored = await db.query<StoredOrder>('SELECT id::text, user_id::text, amount, currency, status, (extract(epoch FROM ts) * 1000)::bigint::text AS ts FROM orders ORDER BY id');
    expect(compareOrders(stored, await expectedOrders(7, 10_000))).toEqual([]);
    expect(stored).toHaveLength(10_000);
    expect(await db.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position")).toEqual([
      { column_name: 'id', data_type: 'bigint' },
      { column_name: 'user_id', data_type: 'bigint' },
      { column_name: 'amount', data_type: 'text' },
      { column_name: 'currency', data_type: 'text' },
      { column_name: 'status', data_type: 'text' },
      { column_name: 'ts', data_type: 'timestamp with time zone' },
    ]);
    const positions = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM tributary_offsets WHERE topic = 'datagen-to-postgres.orders' AND next_offset IS NOT NULL");
    expect(positions).toEqual([{ n: 6 }]);
  });
});
