import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { silentLogger } from '../../../src/sdk/index.ts';
import type { PostgresDatabase } from '../../harness/postgres.ts';
import { compareOrders, expectedOrders, type StoredOrder } from './expected-orders.ts';
import { ProcessPool, type ProcessExit } from './process-pool.ts';

export const SINKS = ['sink-0', 'sink-1', 'sink-2'] as const;
export const SOURCE = 'source';
export const PARTITIONS = 6;
const TABLE = 'orders';

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name}=${raw} is not a non-negative integer`);
  return n;
}

/** A small seeded generator (mulberry32), so a failing run's kill schedule can be replayed with TRIBUTARY_CHAOS_SEED. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * With TRIBUTARY_CHAOS_VERBOSE=1, a status line every `everyMs` on stderr (rows stored, processes
 * running, exits so far), to watch a long run; returns the function that stops it.
 */
export function reportStatus(pool: ProcessPool, db: PostgresDatabase, everyMs = 5_000): () => void {
  if (process.env.TRIBUTARY_CHAOS_VERBOSE !== '1') return () => {};
  const started = Date.now();
  const timer = setInterval(() => {
    void db
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM ${TABLE}`)
      .then(([row]) => {
        const running = [SOURCE, ...SINKS].filter((n) => pool.running(n)).join(',');
        const exits = pool.exits.map((e) => `${e.name}:${e.cause}:${e.code ?? e.signal}`).join(' ');
        process.stderr.write(`[chaos +${((Date.now() - started) / 1000).toFixed(0)}s] rows ${row?.n} running ${running} exits ${exits}\n`);
      })
      .catch(() => undefined);
  }, everyMs);
  return () => clearInterval(timer);
}

/**
 * The target table: insert mode into a primary key, so applying any order twice fails the sink
 * (errors.tolerance: none stops it, which the driver sees as a process exiting on its own), and a
 * trigger counting applies per id inside the sink's own transaction (so a rolled-back batch leaves
 * no count behind). Either catches a double apply; the count also catches one that slipped past a key.
 */
export async function createOrdersTable(db: PostgresDatabase): Promise<void> {
  await db.query(`CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, user_id bigint NOT NULL, amount numeric(10,2) NOT NULL, currency text NOT NULL, status text NOT NULL, ts bigint NOT NULL)`);
  await db.query('CREATE TABLE orders_applied (id bigint PRIMARY KEY, applies integer NOT NULL, first_txid bigint NOT NULL)');
  await db.query(`CREATE FUNCTION count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO orders_applied VALUES (NEW.id, 1, txid_current())
        ON CONFLICT (id) DO UPDATE SET applies = orders_applied.applies + 1;
      RETURN NEW;
    END $$`);
  await db.query(`CREATE TRIGGER count_apply AFTER INSERT OR UPDATE ON ${TABLE} FOR EACH ROW EXECUTE FUNCTION count_apply()`);
}

export interface ChaosPipeline {
  name: string;
  topic: string;
  file: string;
  seed: number;
  rows: number;
}

export async function writeChaosPipeline(dir: string, p: { name: string; brokers: string[]; seed: number; rows: number; rate: number }): Promise<ChaosPipeline> {
  const topic = `${p.name}.orders`;
  const yaml = `name: ${p.name}
kafka: { brokers: [${p.brokers.join(', ')}] }
source:
  connector: datagen
  config: { kind: orders, seed: ${p.seed}, count: ${p.rows}, rate: ${p.rate}, batchSize: 200 }
topic: { name: ${topic}, partitions: ${PARTITIONS} }
keySerializer: { format: string }
serializer: { format: json }
sinks:
  - name: pg
    connector: postgres
    delivery: exactly-once
    workers: 1
    batchSize: 500
    # The broker's minimum: a SIGKILLed worker's partitions move after 6 s, not kafkajs's 30 s.
    sessionTimeout: 6s
    config: { url: "\${env:PG_URL}", table: ${TABLE}, mode: insert, primaryKey: [id], autoCreate: false, autoEvolve: false }
errors: { tolerance: none, retry: { timeout: 3m } }
`;
  const file = join(dir, `${p.name}.yaml`);
  await writeFile(file, yaml);
  return { name: p.name, topic, file, seed: p.seed, rows: p.rows };
}

export function startPipelineProcesses(pool: ProcessPool, p: ChaosPipeline): void {
  for (const s of SINKS) pool.start(s, ['run', p.file, '--role', 'sinks']);
  pool.start(SOURCE, ['run', p.file, '--role', 'source']);
}

export function argsFor(name: string, p: ChaosPipeline): string[] {
  return ['run', p.file, '--role', name === SOURCE ? 'source' : 'sinks'];
}

/** Throws with the process's last output when a process stopped without being told to (other than the source finishing). */
export function assertNoOwnExits(pool: ProcessPool): void {
  const own = pool.exits.filter((e) => e.cause === 'own' && !(e.name === SOURCE && e.code === 0));
  if (own.length > 0) {
    throw new Error(`processes exited on their own:\n${own.map((e) => `--- ${e.name} (code ${e.code}, signal ${e.signal})\n${e.tail}`).join('\n')}`);
  }
}

/** What shows that a sink applied a record twice (insert mode into a primary key). */
const DOUBLE_APPLY = /SINK_RECORD_REJECTED|duplicate key value|23505/;

/**
 * A supervisor, as systemd's Restart=on-failure would be: restarts processes that stopped on their
 * own, and returns what they printed last. A process that stopped because a record was applied twice
 * is never restarted: that throws, since it is exactly what the test exists to catch.
 */
export function superviseOwnExits(pool: ProcessPool, p: ChaosPipeline): () => ProcessExit[] {
  let seen = 0;
  const restarted: ProcessExit[] = [];
  return () => {
    for (; seen < pool.exits.length; seen++) {
      const e = pool.exits[seen] as ProcessExit;
      if (e.cause !== 'own' || (e.name === SOURCE && e.code === 0)) continue;
      if (DOUBLE_APPLY.test(e.tail)) throw new Error(`${e.name} stopped on a record applied twice:\n${e.tail}`);
      restarted.push(e);
      if (!pool.running(e.name)) pool.start(e.name, argsFor(e.name, p));
    }
    return restarted;
  };
}

export function sourceFinished(pool: ProcessPool): boolean {
  return pool.exits.some((e) => e.name === SOURCE && e.cause === 'own' && e.code === 0);
}

/**
 * After the disruption: keeps the source running until it has produced everything (restarting it
 * if it was killed last), then waits until the table holds every row. `onPoll` decides about
 * processes that stop by themselves (throw, or restart them).
 */
export async function recover(pool: ProcessPool, p: ChaosPipeline, db: PostgresDatabase, timeoutMs: number, onPoll: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!sourceFinished(pool)) {
    onPoll();
    if (!pool.running(SOURCE) && !sourceFinished(pool)) pool.start(SOURCE, argsFor(SOURCE, p));
    if (Date.now() > deadline) throw new Error(`the source did not finish within ${timeoutMs} ms\n${pool.output(SOURCE)}`);
    await sleep(250);
  }
  try {
    await waitForRows(db, p.rows, Math.max(0, deadline - Date.now()), onPoll);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${SINKS.map((s) => `--- ${s}\n${pool.output(s).slice(-3000)}`).join('\n')}`);
  }
}

/**
 * For a failure message: the topic as librdkafka (kcat, read_committed) sees it, a client
 * independent of the one the pipeline uses, with every id stored at more than one offset. Tells a
 * source that wrote a record twice apart from a sink that applied one twice.
 */
export async function describeTopicDuplicates(brokers: string[], topic: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(
      'kcat',
      ['-C', '-b', brokers.join(','), '-t', topic, '-X', 'isolation.level=read_committed', '-e', '-q', '-f', '%p:%o %k\n'],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
    );
    const where = new Map<string, string[]>();
    for (const line of stdout.split('\n')) {
      const [at, id] = line.split(' ');
      if (at === undefined || id === undefined || at === '') continue;
      where.set(id, [...(where.get(id) ?? []), at]);
    }
    const twice = [...where].filter(([, at]) => at.length > 1);
    const records = [...where.values()].reduce((n, at) => n + at.length, 0);
    return `topic ${topic} (kcat, read_committed): ${records} records, ${where.size} ids, ${twice.length} ids at more than one offset` +
      (twice.length > 0 ? `: ${twice.slice(0, 10).map(([id, at]) => `${id}@${at.join('+')}`).join(' ')}` : '');
  } catch (err) {
    return `topic ${topic}: kcat could not read it (${(err as Error).message.split('\n')[0]})`;
  }
}

/**
 * Reads the whole topic as a sink does (read_committed) and returns, per partition, the offset after
 * its last record and its end offset, with the ids of every record: the source's half of exactly
 * once (each id in the topic once) and the bounds the sink's stored positions must fall in.
 */
export async function readTopic(brokers: string[], p: ChaosPipeline, timeoutMs = 60_000): Promise<{ ids: number[]; afterLast: Map<number, bigint>; ends: Map<number, bigint> }> {
  const client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: `${p.name}-check` });
  const admin = client.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    ends = new Map((await admin.fetchTopicOffsets(p.topic)).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const ids: number[] = [];
  const afterLast = new Map<number, bigint>();
  const consumer = client.consumer({ groupId: `${p.name}-check`, readCommitted: true, fromBeginning: true });
  await consumer.connect();
  try {
    await consumer.subscribe([p.topic]);
    let crash: Error | undefined;
    await consumer.run({
      eachBatch: async (batch) => {
        for (const m of batch.messages) ids.push(Number(m.key?.toString('utf8')));
        const last = batch.messages[batch.messages.length - 1];
        if (last !== undefined) afterLast.set(batch.partition, BigInt(last.offset) + 1n);
      },
      onCrash: (err) => {
        crash = err;
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (ids.length < p.rows) {
      if (crash !== undefined) throw crash;
      if (Date.now() > deadline) throw new Error(`read ${ids.length} of ${p.rows} records from ${p.topic} in ${timeoutMs} ms`);
      await sleep(100);
    }
    // Anything beyond the expected count (a record the source wrote twice) arrives meanwhile.
    await sleep(1_000);
  } finally {
    await consumer.disconnect();
  }
  return { ids, afterLast, ends };
}

/**
 * Whether the process has a PostgreSQL session inside a transaction right now (the sink names its
 * sessions `tributary[<pid>] ...`): a SIGKILL now lands in the middle of a batch's transaction.
 */
export async function inTransaction(db: PostgresDatabase, pid: number | undefined): Promise<boolean> {
  if (pid === undefined) return false;
  const [row] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE $1 AND state IN ('active', 'idle in transaction')",
    [`tributary[${pid}]%`],
  );
  return (row?.n ?? 0) > 0;
}

/**
 * Waits up to `withinMs` for the process to be inside a transaction, polling every few
 * milliseconds; true when it is (kill it now to cut a batch in half), false when the time ran out.
 */
export async function awaitTransaction(db: PostgresDatabase, pid: number | undefined, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await inTransaction(db, pid)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
}

/** Waits until the table holds at least `rows` rows, checking `onPoll` (for processes that died) meanwhile. */
export async function waitForRows(db: PostgresDatabase, rows: number, timeoutMs: number, onPoll: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    onPoll();
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${TABLE}`);
    if ((row?.n ?? 0) >= rows) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${rows} rows stored after ${timeoutMs} ms (${row?.n})`);
    await sleep(250);
  }
}

/** Stops the sinks with SIGTERM (bounded); returns the ones that needed a SIGKILL after `graceMs`. */
export async function stopSinks(pool: ProcessPool, graceMs = 10_000): Promise<string[]> {
  const slow: string[] = [];
  await Promise.all(
    SINKS.map(async (s) => {
      if (!(await pool.stop(s, graceMs))) slow.push(s);
    }),
  );
  return slow;
}

export interface Verdict {
  rows: number;
  problems: string[];
  doubleApplied: number;
  /** Records in the topic (read_committed) and how many distinct ids they carry. */
  topicRecords: number;
  topicIds: number;
  offsets: Array<{ partition: number; stored: string; afterLast: string; end: string }>;
}

/**
 * Compares the table with the regenerated source rows, checks the apply counts, that the topic holds
 * each id once, and that each stored position is past the partition's last record and not past its
 * end (transaction markers may follow the last record, so "at the end offset" would be too strict).
 */
export async function verify(db: PostgresDatabase, p: ChaosPipeline, brokers: string[]): Promise<Verdict> {
  const stored = await db.query<StoredOrder>(`SELECT id::text, user_id::text, amount::text, currency, status, ts::text FROM ${TABLE} ORDER BY id`);
  const expected = await expectedOrders(p.seed, p.rows);
  const problems = compareOrders(stored, expected);
  const [counts] = await db.query<{ ids: number; doubles: number }>('SELECT count(*)::int AS ids, count(*) FILTER (WHERE applies <> 1)::int AS doubles FROM orders_applied');
  if (counts?.ids !== p.rows) problems.push(`apply counter has ${counts?.ids} ids, expected ${p.rows}`);
  const topic = await readTopic(brokers, p);
  const positions = await db.query<{ partition: number; next_offset: string }>('SELECT partition, next_offset::text FROM tributary_offsets WHERE topic = $1 ORDER BY partition', [p.topic]);
  const offsets = positions.map((r) => ({ partition: r.partition, stored: r.next_offset, afterLast: String(topic.afterLast.get(r.partition) ?? 0n), end: String(topic.ends.get(r.partition)) }));
  for (const o of offsets) {
    if (BigInt(o.stored) < BigInt(o.afterLast) || BigInt(o.stored) > BigInt(o.end)) problems.push(`partition ${o.partition}: stored position ${o.stored} outside [${o.afterLast}, ${o.end}]`);
  }
  return { rows: stored.length, problems, doubleApplied: counts?.doubles ?? -1, topicRecords: topic.ids.length, topicIds: new Set(topic.ids).size, offsets };
}

/** Each partition's stored position, for the one-line summary. */
export function positions(v: Verdict): string {
  return v.offsets.map((o) => `${o.partition}:${o.stored}`).join(' ');
}

/** The line a failed pipeline prints last ("pipeline X failed: ..."), for the summary. */
export function lastError(tail: string): string {
  return tail.split('\n').filter((l) => l.includes('failed:')).pop()?.slice(0, 300) ?? '(no error line)';
}

/** What one chaos test started; `releaseChaos` stops it all after the test, whatever state it is in. */
export interface ChaosResources {
  db?: PostgresDatabase;
  pool?: ProcessPool;
  dir?: { path: string; cleanup(): Promise<void> };
  /** Stops the broker the test started itself, if any (data included). */
  stopBroker?: () => Promise<void>;
  stopStatus?: () => void;
}

/** Processes first (they use everything else), then the broker, the database and the files. */
export async function releaseChaos(res: ChaosResources): Promise<void> {
  res.stopStatus?.();
  await res.pool?.killAll();
  await res.stopBroker?.();
  await res.db?.drop();
  await res.dir?.cleanup();
}
