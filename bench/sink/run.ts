/**
 * bench/sink: rows per second into PostgreSQL through the postgres sink, against COPY of the same
 * rows in the same run (the practical limit of loading rows into PostgreSQL), printed as ratios.
 *
 *   node --import tsx bench/sink/run.ts
 *
 * Env: PG_URL (server to use; a fresh database is created and dropped), TRIBUTARY_BENCH_ROWS
 * (100000), TRIBUTARY_BENCH_BATCH (500, records per put() like the runtime's batchSize),
 * TRIBUTARY_BENCH_REPEAT (3; the median run counts), TRIBUTARY_BENCH_PARTITIONS (6).
 *
 * Each variant writes the same rows into its own fresh table with the same definition. The sink is
 * driven directly (open, then put() per batch, as a SinkWorker does), so the figures are the sink's
 * and the database's, without Kafka. Variants run interleaved, repeat after repeat, so drift in the
 * machine's load hits them alike.
 */
import { DatagenSourceTask } from '../../connectors/datagen/index.ts';
import { resolveDatagenConfig } from '../../connectors/datagen/config.ts';
import { resolvePostgresSinkConfig, type PostgresSinkConfig } from '../../connectors/postgres/config.ts';
import { copyFrom, copyTextRow } from '../../connectors/postgres/copy-in.ts';
import { PostgresSinkTask } from '../../connectors/postgres/index.ts';
import { systemClock, silentLogger, type PartitionOffset, type SinkRecord } from '../../src/sdk/index.ts';
import { createDatabase, type PostgresDatabase } from '../../test/harness/postgres.ts';
import pg from 'pg';

const ROWS = envInt('TRIBUTARY_BENCH_ROWS', 100_000);
const BATCH = envInt('TRIBUTARY_BENCH_BATCH', 500);
const REPEAT = envInt('TRIBUTARY_BENCH_REPEAT', 3);
const PARTITIONS = envInt('TRIBUTARY_BENCH_PARTITIONS', 6);
const TOPIC = 'bench.orders';
const COLUMNS = ['id', 'user_id', 'amount', 'currency', 'status', 'ts'] as const;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}=${raw} is not a positive integer`);
  return n;
}

interface Batch {
  records: SinkRecord[];
  position: PartitionOffset[];
}

/** datagen orders, keyed by id and spread over partitions like murmur2 would (evenly), in put()-sized batches taken round-robin. */
async function makeBatches(): Promise<{ batches: Batch[]; rows: Array<Record<string, unknown>> }> {
  const task = new DatagenSourceTask({
    config: resolveDatagenConfig({ kind: 'orders', seed: 42, count: ROWS, batchSize: 10_000 }),
    pipeline: 'bench',
    logger: silentLogger,
    clock: systemClock,
    taskId: 0,
    committedOffset: () => undefined,
  });
  await task.start();
  const rows: Array<Record<string, unknown>> = [];
  for (;;) {
    const polled = await task.poll(new AbortController().signal);
    if (polled === null) break;
    for (const r of polled) rows.push(r.value as Record<string, unknown>);
  }
  const perPartition: SinkRecord[][] = Array.from({ length: PARTITIONS }, () => []);
  rows.forEach((value, i) => {
    const partition = i % PARTITIONS;
    const list = perPartition[partition] as SinkRecord[];
    list.push({ topic: TOPIC, partition, offset: String(list.length), timestamp: 0, headers: [], key: String(value.id), value });
  });
  const batches: Batch[] = [];
  for (let start = 0; batches.length * BATCH < ROWS; start += BATCH) {
    for (const list of perPartition) {
      const records = list.slice(start, start + BATCH);
      const last = records[records.length - 1];
      if (last === undefined) continue;
      batches.push({ records, position: [{ topic: TOPIC, partition: last.partition, offset: String(Number(last.offset) + 1) }] });
    }
  }
  return { batches, rows };
}

async function createTable(db: PostgresDatabase, table: string): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS "${table}"`);
  await db.query(`CREATE TABLE "${table}" (id bigint PRIMARY KEY, user_id bigint NOT NULL, amount numeric(10,2) NOT NULL, currency text NOT NULL, status text NOT NULL, ts bigint NOT NULL)`);
}

/** The peer: one COPY of every row in one transaction, text format, into the same table definition. */
async function copyAll(db: PostgresDatabase, rows: Array<Record<string, unknown>>, perBatch: boolean): Promise<number> {
  const table = perBatch ? 'peer_copy_per_batch' : 'peer_copy';
  await createTable(db, table);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const started = performance.now();
    const chunk = perBatch ? BATCH : rows.length;
    for (let i = 0; i < rows.length; i += chunk) {
      const text = rows
        .slice(i, i + chunk)
        .map((r) => copyTextRow(COLUMNS.map((c) => String(r[c]))))
        .join('');
      await client.query('BEGIN');
      await copyFrom(client, `COPY "${table}" (${COLUMNS.join(', ')}) FROM STDIN`, Buffer.from(text));
      await client.query('COMMIT');
    }
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

async function throughSink(db: PostgresDatabase, name: string, config: Partial<PostgresSinkConfig>, batches: Batch[]): Promise<number> {
  await createTable(db, name);
  await db.query('DELETE FROM tributary_offsets WHERE group_id = $1', [name]).catch(() => undefined);
  const task = new PostgresSinkTask({
    config: resolvePostgresSinkConfig({ url: db.url, table: name, primaryKey: ['id'], autoCreate: false, autoEvolve: false, ...config }),
    pipeline: 'bench',
    logger: silentLogger,
    clock: systemClock,
    sinkName: name,
    group: name,
    workerId: 0,
  });
  await task.start();
  try {
    await task.open(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition })));
    const started = performance.now();
    for (const b of batches) await task.put(b.records, b.position);
    return performance.now() - started;
  } finally {
    await task.stop();
  }
}

interface Variant {
  name: string;
  what: string;
  run(): Promise<number>;
}

const db = await createDatabase('bench_sink');
try {
  const { batches, rows } = await makeBatches();
  const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v"))[0]?.v;
  const variants: Variant[] = [
    { name: 'copy', what: 'peer: one COPY of all rows, one transaction', run: () => copyAll(db, rows, false) },
    { name: 'copy-per-batch', what: `peer: one COPY + COMMIT per ${BATCH} rows, no offsets`, run: () => copyAll(db, rows, true) },
    { name: 'eo-unnest', what: 'sink, exactly-once, upsert, writeMethod unnest', run: () => throughSink(db, 'eo_unnest', { writeMethod: 'unnest' }, batches) },
    { name: 'eo-copy', what: 'sink, exactly-once, upsert, writeMethod copy', run: () => throughSink(db, 'eo_copy', { writeMethod: 'copy' }, batches) },
    { name: 'eo-insert', what: 'sink, exactly-once, insert, writeMethod unnest', run: () => throughSink(db, 'eo_insert', { writeMethod: 'unnest', mode: 'insert' }, batches) },
    { name: 'alo-unnest', what: 'sink, at-least-once (storeOffsets: false), upsert, unnest', run: () => throughSink(db, 'alo_unnest', { writeMethod: 'unnest', storeOffsets: false }, batches) },
  ];
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  // One warm-up pass (connections, catalog caches, the server's buffers), not counted.
  for (const v of variants) await v.run();
  for (let r = 0; r < REPEAT; r++) for (const v of variants) times.get(v.name)?.push(await v.run());
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const rate = (name: string): number => ROWS / (median(times.get(name) ?? []) / 1000);

  console.log(`bench/sink: ${ROWS} rows, ${BATCH} per put(), ${PARTITIONS} partitions, median of ${REPEAT} (PostgreSQL ${version}, node ${process.version})`);
  for (const v of variants) console.log(`  ${v.name.padEnd(15)} ${Math.round(rate(v.name)).toString().padStart(9)} rows/s   ${v.what}`);
  const ratio = (a: string, b: string): string => (rate(a) / rate(b)).toFixed(2);
  console.log(`  ours/peer: eo-unnest/copy ${ratio('eo-unnest', 'copy')}, eo-copy/copy ${ratio('eo-copy', 'copy')}, eo-unnest/copy-per-batch ${ratio('eo-unnest', 'copy-per-batch')}`);
  console.log(`  exactly-once vs at-least-once: eo-unnest/alo-unnest ${ratio('eo-unnest', 'alo-unnest')} (offsets write costs ${(100 * (1 - rate('eo-unnest') / rate('alo-unnest'))).toFixed(1)}%)`);
} finally {
  await db.drop();
}
