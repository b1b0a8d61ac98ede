import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteMethod } from '../../../connectors/postgres/config.ts';
import { TributaryError, type Schema } from '../../../src/sdk/index.ts';
import { createDatabase, type PostgresDatabase } from '../../harness/postgres.ts';
import { batch, rejection, sinkTask } from './support.ts';

/**
 * The postgres sink task against a real PostgreSQL, without Kafka: what each input shape leaves in
 * the tables, that rows and positions commit together, and how zombies are fenced. Every behaviour
 * runs with both write methods, which must store identical data.
 */
let db: PostgresDatabase;
beforeAll(async () => {
  db = await createDatabase('pgsink_task');
});
afterAll(async () => {
  await db?.drop();
});

const positions = (group = 'group-a') => db.query('SELECT topic, partition, next_offset FROM tributary_offsets WHERE group_id = $1 ORDER BY topic, partition', [group]);

describe.each(['unnest', 'copy'] as WriteMethod[])('postgres sink task (writeMethod %s)', (writeMethod) => {
  it('upserts plain rows by the key object, later values winning, deleting on tombstones, and stores the position with them', async () => {
    const topic = `plain.${writeMethod}`;
    const task = sinkTask(db.url, { writeMethod, tombstones: 'delete' });
    await task.start();
    expect(await task.open([{ topic, partition: 0 }])).toEqual([]);
    const first = batch(topic, 0, 0, [
      { key: { id: 1 }, value: { id: 1, name: 'ada', score: 1.5 } },
      { key: { id: 2 }, value: { id: 2, name: 'alan', score: 2 } },
      { key: { id: 3 }, value: { id: 3, name: 'grace', score: 3 } },
      { key: { id: 2 }, value: { id: 2, name: 'alan t.', score: 2.5 } },
      { key: { id: 3 }, value: null },
    ]);
    await task.put(first.records, first.position);
    // A later batch updates a row written before, partially: the other columns keep their values.
    const second = batch(topic, 0, 5, [{ key: { id: 1 }, value: { id: 1, score: 9 } }]);
    await task.put(second.records, second.position);
    expect(await db.query(`SELECT id, name, score FROM "plain_${writeMethod}" ORDER BY id`)).toEqual([
      { id: '1', name: 'ada', score: 9 },
      { id: '2', name: 'alan t.', score: 2.5 },
    ]);
    expect(await positions()).toContainEqual({ topic, partition: 0, next_offset: '6' });
    await task.stop();
    await task.stop();
    // A new worker of the group resumes where the rows end.
    const again = sinkTask(db.url, { writeMethod });
    await again.start();
    expect(await again.open([{ topic, partition: 0 }, { topic, partition: 1 }])).toEqual([{ topic, partition: 0, offset: '6' }]);
    await again.stop();
  });

  it('applies Debezium c/r/u/d by key, ignores tombstones, and types auto-created columns from the envelope schema', async () => {
    const topic = `dbz.${writeMethod}`;
    const row: Schema = {
      type: 'struct',
      optional: true,
      fields: [
        { field: 'id', schema: { type: 'int32' } },
        { field: 'name', schema: { type: 'string', optional: true } },
        { field: 'price', schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' }, optional: true } },
        { field: 'updated', schema: { type: 'int64', name: 'io.debezium.time.MicroTimestamp', optional: true } },
        { field: 'born', schema: { type: 'int32', name: 'io.debezium.time.Date', optional: true } },
      ],
    };
    const valueSchema: Schema = { type: 'struct', fields: [{ field: 'before', schema: row }, { field: 'after', schema: row }, { field: 'op', schema: { type: 'string' } }] };
    const keySchema: Schema = { type: 'struct', fields: [{ field: 'id', schema: { type: 'int32' } }] };
    const change = (op: string, before: unknown, after: unknown, id: number) => ({ key: { id }, keySchema, valueSchema, value: { op, before, after, source: {}, ts_ms: 0 } });
    const task = sinkTask(db.url, { writeMethod });
    await task.start();
    await task.open([{ topic, partition: 0 }]);
    const b = batch(topic, 0, 0, [
      change('r', null, { id: 1, name: 'a', price: '1.50', updated: 1_700_000_000_000_001, born: 0 }, 1),
      change('c', null, { id: 2, name: 'b', price: '2.00', updated: null, born: null }, 2),
      change('c', null, { id: 3, name: 'c', price: '3.00', updated: null, born: 1 }, 3),
      change('u', { id: 2 }, { id: 2, name: 'b2', price: '2.25', updated: 1_700_000_000_000_000, born: null }, 2),
      change('d', { id: 3, name: 'c' }, null, 3),
      { key: { id: 3 }, value: null },
    ]);
    await task.put(b.records, b.position);
    await task.stop();
    expect(await db.query(`SELECT id, name, price::text, updated::text, born::text FROM "dbz_${writeMethod}" ORDER BY id`)).toEqual([
      { id: 1, name: 'a', price: '1.50', updated: '2023-11-14 22:13:20.000001', born: '1970-01-01' },
      { id: 2, name: 'b2', price: '2.25', updated: '2023-11-14 22:13:20', born: null },
    ]);
    expect(await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [`dbz_${writeMethod}`])).toEqual([
      { column_name: 'id', data_type: 'integer' },
      { column_name: 'name', data_type: 'text' },
      { column_name: 'price', data_type: 'numeric' },
      { column_name: 'updated', data_type: 'timestamp without time zone' },
      { column_name: 'born', data_type: 'date' },
    ]);
  });

  it('casts Canal string values by the type of an existing table, and follows key changes and deletes', async () => {
    const topic = `canal.${writeMethod}`;
    const table = `canal_${writeMethod}`;
    await db.query(`CREATE TABLE "${table}" (id integer PRIMARY KEY, amount numeric(10,2), paid boolean, at timestamp, payload bytea, tags text[], note varchar(5))`);
    const message = (type: string, data: unknown[], old: unknown[] | null = null) => ({
      value: {
        database: 'shop',
        table: 'orders',
        pkNames: ['id'],
        isDdl: false,
        type,
        mysqlType: { id: 'int(11)', amount: 'decimal(10,2)', paid: 'tinyint(1)', at: 'datetime', payload: 'blob', note: 'varchar(5)' },
        data,
        old,
      },
    });
    const task = sinkTask(db.url, { writeMethod });
    await task.start();
    await task.open([{ topic, partition: 0 }]);
    const b = batch(topic, 0, 0, [
      message('INSERT', [
        { id: '1', amount: '10.5', paid: '1', at: '2024-01-02 03:04:05', payload: '\u00ff\u0001', tags: '{a,b}', note: 'x' },
        { id: '2', amount: '20', paid: '0', at: null, payload: null, tags: null, note: null },
        { id: '3', amount: '30', paid: '0', at: null, payload: null, tags: null, note: null },
      ]),
      message('UPDATE', [{ id: '4', amount: '20.25', paid: '1', at: null, payload: null, tags: null, note: 'moved' }], [{ id: '2', amount: '20' }]),
      message('DELETE', [{ id: '3', amount: '30', paid: '0', at: null, payload: null, tags: null, note: null }]),
    ]);
    await task.put(b.records, b.position);
    await task.stop();
    expect(await db.query(`SELECT id, amount::text, paid, at::text, encode(payload, 'hex') AS payload, tags, note FROM "${table}" ORDER BY id`)).toEqual([
      { id: 1, amount: '10.50', paid: true, at: '2024-01-02 03:04:05', payload: 'ff01', tags: ['a', 'b'], note: 'x' },
      { id: 4, amount: '20.25', paid: true, at: null, payload: null, tags: null, note: 'moved' },
    ]);
  });

  it('refuses a batch the table rejects as SINK_RECORD_REJECTED, leaving neither its rows nor its position', async () => {
    const topic = `strict.${writeMethod}`;
    const table = `strict_${writeMethod}`;
    await db.query(`CREATE TABLE "${table}" (id bigint PRIMARY KEY, qty integer CHECK (qty > 0), code varchar(3), ch char(2), flags bit(4))`);
    const task = sinkTask(db.url, { writeMethod, mode: 'insert' });
    await task.start();
    await task.open([{ topic, partition: 0 }]);
    const ok = batch(topic, 0, 0, [{ value: { id: 1, qty: 1, code: 'abc', ch: 'ab', flags: '1010' } }]);
    await task.put(ok.records, ok.position);
    const cases: Array<{ value: unknown; sqlState: string }> = [
      { value: { id: 1, qty: 5 }, sqlState: '23505' }, // insert mode: the key exists
      { value: { id: 2, qty: 0 }, sqlState: '23514' }, // check constraint
      { value: { id: 3, qty: 'many' }, sqlState: '22P02' }, // not an integer
      { value: { id: 4, qty: 1, code: 'toolong' }, sqlState: '22001' }, // varchar(3): refused, never truncated
      { value: { id: 5, qty: 1, ch: 'abc' }, sqlState: '22001' }, // char(2): refused, never truncated
      { value: { id: 6, qty: 1, flags: '10101' }, sqlState: '22026' }, // bit(4): refused, never truncated
      { value: { id: null, qty: 1 }, sqlState: '23502' }, // null key
    ];
    for (const [i, c] of cases.entries()) {
      const bad = batch(topic, 0, 1 + i, [{ value: { id: 10 + i, qty: 1 } }, { value: c.value }]);
      const err = await rejection(task.put(bad.records, bad.position));
      expect(err, JSON.stringify(c.value)).toBeInstanceOf(TributaryError);
      expect((err as TributaryError).code).toBe('SINK_RECORD_REJECTED');
      expect((err as TributaryError).details.sqlState).toBe(c.sqlState);
    }
    await task.stop();
    expect(await db.query(`SELECT id, qty, code, ch, flags::text FROM "${table}"`)).toEqual([{ id: '1', qty: 1, code: 'abc', ch: 'ab', flags: '1010' }]);
    expect(await positions()).toContainEqual({ topic, partition: 0, next_offset: '1' });
  });

  it('auto-creates a table keyed by the record key, adds nullable columns for new fields, and refuses them with autoEvolve off', async () => {
    const topic = `evolve.${writeMethod}`;
    const table = `evolve_${writeMethod}`;
    const task = sinkTask(db.url, { writeMethod });
    await task.start();
    await task.open([{ topic, partition: 0 }]);
    const b = batch(topic, 0, 0, [{ key: { id: 1 }, value: { id: 1, a: 'x' } }, { key: { id: 2 }, value: { id: 2, a: 'y', b: 7, c: { nested: [1] } } }]);
    await task.put(b.records, b.position);
    await task.stop();
    expect(await db.query(`SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table])).toEqual([
      { column_name: 'id', data_type: 'bigint', is_nullable: 'NO' },
      { column_name: 'a', data_type: 'text', is_nullable: 'YES' },
      { column_name: 'b', data_type: 'bigint', is_nullable: 'YES' },
      { column_name: 'c', data_type: 'jsonb', is_nullable: 'YES' },
    ]);
    const strict = sinkTask(db.url, { writeMethod, autoEvolve: false });
    await strict.start();
    await strict.open([{ topic, partition: 0 }]);
    const more = batch(topic, 0, 2, [{ key: { id: 3 }, value: { id: 3, d: true } }]);
    const err = (await rejection(strict.put(more.records, more.position))) as TributaryError;
    expect(err.code).toBe('SINK_RECORD_REJECTED');
    expect(err.message).toMatch(/no column "d" \(autoEvolve is off\)/);
    expect(err.details.offsets).toEqual([{ topic, partition: 0, offset: '2', reason: expect.stringContaining('no column "d"') }]);
    await strict.stop();
    expect(await db.query(`SELECT id, a, b, c FROM "${table}" ORDER BY id`)).toEqual([
      { id: '1', a: 'x', b: null, c: null },
      { id: '2', a: 'y', b: '7', c: { nested: [1] } },
    ]);
  });
});

describe('postgres sink task: ownership of partitions', () => {
  it('fences a worker whose partition another worker claimed: its batches write nothing', async () => {
    const topic = 'fence.one';
    const zombie = sinkTask(db.url, { primaryKey: ['id'] }, { workerId: 0 });
    const owner = sinkTask(db.url, { primaryKey: ['id'] }, { workerId: 1 });
    await zombie.start();
    await owner.start();
    await zombie.open([{ topic, partition: 0 }]);
    const b1 = batch(topic, 0, 0, [{ value: { id: 1, by: 'zombie' } }]);
    await zombie.put(b1.records, b1.position);
    // A rebalance gave the partition to `owner`; the zombie has not noticed yet.
    expect(await owner.open([{ topic, partition: 0 }])).toEqual([{ topic, partition: 0, offset: '1' }]);
    const late = batch(topic, 0, 1, [{ value: { id: 2, by: 'zombie' } }]);
    await zombie.put(late.records, late.position);
    const b2 = batch(topic, 0, 1, [{ value: { id: 2, by: 'owner' } }]);
    await owner.put(b2.records, b2.position);
    // Still fenced for later batches, until it is assigned the partition again.
    const later = batch(topic, 0, 2, [{ value: { id: 3, by: 'zombie' } }]);
    await zombie.put(later.records, later.position);
    await zombie.stop();
    await owner.stop();
    expect(await db.query('SELECT id, by FROM fence_one ORDER BY id')).toEqual([
      { id: '1', by: 'zombie' },
      { id: '2', by: 'owner' },
    ]);
    expect(await positions()).toContainEqual({ topic, partition: 0, next_offset: '2' });
  });

  it('makes a new owner wait for a zombie transaction that holds the position row, then read what it committed', async () => {
    const topic = 'fence.two';
    const first = sinkTask(db.url, { primaryKey: ['id'] });
    await first.start();
    await first.open([{ topic, partition: 0 }]);
    await first.stop();
    // What a zombie's put does first: lock and move the position inside its open transaction.
    const zombie = new pg.Client({ connectionString: db.url });
    await zombie.connect();
    await zombie.query('BEGIN');
    await zombie.query("UPDATE tributary_offsets SET next_offset = 50 WHERE group_id = 'group-a' AND topic = $1", [topic]);
    const owner = sinkTask(db.url, { primaryKey: ['id'] });
    await owner.start();
    let opened: unknown;
    const opening = owner.open([{ topic, partition: 0 }]).then((p) => (opened = p));
    await new Promise((r) => setTimeout(r, 300));
    expect(opened).toBeUndefined();
    await zombie.query('COMMIT');
    await opening;
    expect(opened).toEqual([{ topic, partition: 0, offset: '50' }]);
    await zombie.end();
    await owner.stop();
  });

  it('rejects put() for a partition open() never assigned, and any call after stop()', async () => {
    const task = sinkTask(db.url);
    await task.start();
    const b = batch('nowhere', 0, 0, [{ key: { id: 1 }, value: { id: 1 } }]);
    expect(((await rejection(task.put(b.records, b.position))) as TributaryError).code).toBe('INTERNAL');
    await task.stop();
    expect(((await rejection(task.put(b.records, b.position))) as TributaryError).code).toBe('INTERNAL');
  });

  it('lets several workers start and create the same table at once (DDL serialised)', async () => {
    const topic = 'race.create';
    const tasks = [0, 1, 2, 3].map((workerId) => sinkTask(db.url, {}, { group: 'race', workerId }));
    await Promise.all(tasks.map((t) => t.start()));
    await Promise.all(tasks.map((t, p) => t.open([{ topic, partition: p }])));
    await Promise.all(
      tasks.map((t, p) => {
        const b = batch(topic, p, 0, [{ key: { id: p }, value: { id: p, [`col${p}`]: p } }]);
        return t.put(b.records, b.position);
      }),
    );
    await Promise.all(tasks.map((t) => t.stop()));
    expect(await db.query('SELECT id, col0, col1, col2, col3 FROM race_create ORDER BY id')).toEqual([
      { id: '0', col0: '0', col1: null, col2: null, col3: null },
      { id: '1', col0: null, col1: '1', col2: null, col3: null },
      { id: '2', col0: null, col1: null, col2: '2', col3: null },
      { id: '3', col0: null, col1: null, col2: null, col3: '3' },
    ]);
  });
});

describe('postgres sink task: connection failures', () => {
  it('reports an unreachable server as retriable and a missing database as permanent, never printing the password', async () => {
    const down = sinkTask('postgres://postgres:s3cret@127.0.0.1:1/postgres', { connectTimeoutMs: 2000 });
    const err = (await rejection(down.start())) as TributaryError;
    expect(err.code).toBe('SINK_FAILED');
    expect(err.retriable).toBe(true);
    expect(err.message).toMatch(/^preparing the offsets table: connecting to 127\.0\.0\.1:1\/postgres: /);
    expect(err.message).not.toContain('s3cret');
    await down.stop();
    const url = new URL(db.url);
    url.pathname = '/no_such_database_here';
    const missing = sinkTask(url.toString());
    const err2 = (await rejection(missing.start())) as TributaryError;
    expect(err2.retriable).toBe(false);
    expect(err2.details.sqlState).toBe('3D000');
    await missing.stop();
  });
});
