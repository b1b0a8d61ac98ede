/**
 * bench/cdc: how fast the mysql-binlog source turns binlog into records, against the server's own
 * write rate measured in the same run on the same machine.
 *
 *   npx tsx bench/cdc/run.ts            # 200k rows per workload, records and pipeline level
 *   npx tsx bench/cdc/run.ts --quick    # 50k rows
 *   npx tsx bench/cdc/run.ts --pipeline # only binlog -> topic (runtime + embedded broker)
 *   npx tsx bench/cdc/run.ts --records  # only binlog -> records (no Kafka)
 *   npx tsx bench/cdc/run.ts --rows 1000000
 *
 * See bench/cdc/README.md for what is measured.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { MysqlBinlogSourceTask, type MysqlBinlogConfig } from '../../connectors/mysql-binlog/index.ts';
import { EmbeddedBroker } from '../../src/broker/index.ts';
import { createBuiltinRegistry } from '../../src/builtins.ts';
import { createKafkaClient, type KafkaClient } from '../../src/kafka/index.ts';
import { parsePipeline } from '../../src/pipeline/load.ts';
import { PipelineRunner } from '../../src/runtime/pipeline-runner.ts';
import { SourceOffsetStore } from '../../src/runtime/source-offsets.ts';
import { silentLogger, systemClock, type SourceRecord } from '../../src/sdk/index.ts';
import { startMariaDb, type MariaDbHarness } from '../../test/harness/mariadb.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string' }, quick: { type: 'boolean' }, txn: { type: 'string' }, pipeline: { type: 'boolean' }, records: { type: 'boolean' }, format: { type: 'string' } },
});
const ROWS = Number(values.rows ?? process.env.BENCH_ROWS ?? (values.quick ? 50_000 : 200_000));
const TXN_ROWS = Number(values.txn ?? process.env.BENCH_TXN_ROWS ?? 1000);
/** Neither flag: both levels. */
const RECORDS_LEVEL = values.records === true || values.pipeline !== true;
const PIPELINE_LEVEL = values.pipeline === true || values.records !== true;
const PIPELINE_FORMAT: 'canal' | 'debezium' = values.format === 'debezium' ? 'debezium' : 'canal';
const LATENCY_ROWS = Math.min(values.quick ? 2000 : 5000, ROWS);
const DB = 'bench';

function task(db: MariaDbHarness, format: 'canal' | 'debezium', committed: Record<string, unknown> | undefined): MysqlBinlogSourceTask {
  const config = { host: db.host, port: db.port, user: 'root', password: '', serverId: 7000 + Math.floor(Math.random() * 1000), include: [`${DB}\\..*`], snapshot: 'never', format, maxBatchRows: 5000 } as MysqlBinlogConfig;
  return new MysqlBinlogSourceTask({ config, pipeline: `bench-${format}`, logger: silentLogger, clock: systemClock, taskId: 0, committedOffset: () => committed });
}

/** The server's position now, as a stored offset, so a task can start reading there later. */
async function positionNow(db: MariaDbHarness): Promise<Record<string, unknown>> {
  const [status] = await db.query<Array<{ File: string; Position: string }>>('SHOW MASTER STATUS');
  const [g] = await db.query<Array<{ gtid: string }>>('SELECT BINLOG_GTID_POS(?, ?) AS gtid', [status?.File, Number(status?.Position)]);
  return { file: status?.File, pos: Number(status?.Position), row: 0, gtid: g?.gtid };
}

/** Reads from `from` until `rows` row records arrived; returns seconds spent polling. */
async function drain(db: MariaDbHarness, format: 'canal' | 'debezium', from: Record<string, unknown>, rows: number): Promise<number> {
  const t = task(db, format, from);
  await t.start();
  const signal = new AbortController().signal;
  let seen = 0;
  const began = performance.now();
  try {
    while (seen < rows) {
      const batch = (await t.poll(signal)) ?? [];
      for (const r of batch) if (r.value !== null) seen++;
    }
  } finally {
    await t.stop();
  }
  return (performance.now() - began) / 1000;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const began = performance.now();
  await fn();
  return (performance.now() - began) / 1000;
}

interface Line {
  workload: string;
  /** Where the workload begins in the binlog, and how many row changes it made. */
  from: Record<string, unknown>;
  rows: number;
  serverRowsPerSec: number;
  canalRowsPerSec?: number;
  debeziumRowsPerSec?: number;
  pipelineRowsPerSec?: number;
  /** The same, counted from the first record visible in the topic (without the pipeline's startup). */
  pipelineSteadyRowsPerSec?: number;
  /** CPU time (user + system) of this whole process per row over the pipeline run, in microseconds. */
  pipelineCpuMicrosPerRow?: number;
}

async function insertHeavy(db: MariaDbHarness): Promise<Line> {
  await db.query(`CREATE TABLE ${DB}.ins (id INT PRIMARY KEY, a INT, b VARCHAR(64), c DECIMAL(12,2), d DATETIME(6))`);
  const from = await positionNow(db);
  const serverSecs = await timed(async () => {
    for (let start = 1; start <= ROWS; start += TXN_ROWS) {
      const end = Math.min(ROWS, start + TXN_ROWS - 1);
      await db.query(`INSERT INTO ${DB}.ins SELECT seq, seq * 3, CONCAT('row-', seq, '-', REPEAT('x', seq % 40)), seq / 7, NOW(6) FROM ${DB}.seq_${start}_to_${end}`);
    }
  });
  return { workload: `insert ${ROWS} rows (${TXN_ROWS}/txn)`, from, rows: ROWS, serverRowsPerSec: ROWS / serverSecs };
}

async function updateHeavy(db: MariaDbHarness): Promise<Line> {
  const from = await positionNow(db);
  const serverSecs = await timed(async () => {
    for (let start = 1; start <= ROWS; start += TXN_ROWS) {
      await db.query(`UPDATE ${DB}.ins SET a = a + 1, b = CONCAT(b, '!'), c = c + 0.01 WHERE id BETWEEN ? AND ?`, [start, start + TXN_ROWS - 1]);
    }
  });
  return { workload: `update ${ROWS} rows (${TXN_ROWS}/txn)`, from, rows: ROWS, serverRowsPerSec: ROWS / serverSecs };
}

async function recordsLevel(db: MariaDbHarness, line: Line): Promise<void> {
  line.canalRowsPerSec = line.rows / (await drain(db, 'canal', line.from, line.rows));
  progress(`records: ${line.workload}: canal ${fmt(line.canalRowsPerSec).trim()} rows/s`);
  line.debeziumRowsPerSec = line.rows / (await drain(db, 'debezium', line.from, line.rows));
  progress(`records: ${line.workload}: debezium ${fmt(line.debeziumRowsPerSec).trim()} rows/s`);
}

function progress(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(10);
}

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

function percentiles(samples: number[]): Percentiles {
  samples.sort((a, b) => a - b);
  const q = (p: number): number => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] as number;
  return { p50: q(0.5), p99: q(0.99), max: samples[samples.length - 1] as number };
}

// ---------------------------------------------------------------------------------------------------
// Pipeline level: the runtime (SourceWorker, exactly-once Kafka transactions, JSON serializer) around
// the task, writing to an embedded broker started in this process.

/**
 * A source-only pipeline reading `${DB}` into one fixed topic. Nothing but the spec's name and the
 * stored position differ from what `tributary run` would start.
 */
async function pipelineRunner(broker: EmbeddedBroker, db: MariaDbHarness, name: string, topic: string, format: 'canal' | 'debezium'): Promise<{ runner: PipelineRunner; client: KafkaClient }> {
  const registry = createBuiltinRegistry();
  const text = `name: ${name}
kafka: { brokers: ["${broker.bootstrap}"] }
source:
  connector: mysql-binlog
  delivery: exactly-once
  config:
    host: "${db.host}"
    port: ${db.port}
    user: root
    password: ""
    serverId: ${7000 + Math.floor(Math.random() * 1000)}
    include: ['${DB}\\..*']
    snapshot: never
    format: ${format}
    name: ${name}
    topic: ${topic}
topic: { name: ${topic}, partitions: 3 }
serializer: { format: json }
keySerializer: { format: string }
sinks: []
`;
  const { spec, errors } = await parsePipeline(text, `${name}.yaml`, { env: {}, registry });
  if (spec === undefined || errors.length > 0) throw new Error(`bench pipeline spec: ${JSON.stringify(errors)}`);
  const client = createKafkaClient(spec.kafka ?? { brokers: [broker.bootstrap] }, { logger: silentLogger, clientId: name });
  const runner = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'source', exitWhenDone: false, progressIntervalMs: 60_000 });
  return { runner, client };
}

/** Stores `from` as the pipeline's committed position, as if an earlier run had stopped there. */
async function storePosition(client: KafkaClient, pipeline: string, from: Record<string, unknown>): Promise<void> {
  const store = new SourceOffsetStore(client, pipeline, silentLogger);
  await store.ensureTopic();
  const producer = client.producer();
  await producer.connect();
  try {
    await producer.send(store.toRecords([{ sourcePartition: { mysqlBinlog: pipeline }, sourceOffset: from }]));
  } finally {
    await producer.disconnect();
  }
}

/**
 * A read_committed consumer of `topic` from the beginning; `onRecord` sees each visible record with
 * the time it arrived. Resolves once the consumer holds its partitions.
 */
async function watch(client: KafkaClient, topic: string, onRecord: (value: Buffer | null, at: number) => void): Promise<() => Promise<void>> {
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.ensureTopics([{ topic, partitions: 3 }]);
  } finally {
    await admin.disconnect();
  }
  const consumer = client.consumer({ groupId: `bench-watch-${randomUUID()}`, readCommitted: true, fromBeginning: true, maxWaitTimeMs: 100 });
  await consumer.connect();
  await consumer.subscribe([topic]);
  await consumer.run({
    eachBatch: async (batch) => {
      const at = Date.now();
      for (const m of batch.messages) onRecord(m.value, at);
    },
  });
  const deadline = Date.now() + 30_000;
  while (consumer.assignment().length === 0) {
    if (Date.now() > deadline) throw new Error(`consumer of ${topic} got no partitions`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return () => consumer.disconnect();
}

/** Resolves when `condition` holds; rejects if the pipeline stops first or `timeoutMs` passes. */
async function until(condition: () => boolean, running: Promise<unknown>, timeoutMs: number, what: string): Promise<void> {
  let stopped: unknown;
  let ended = false;
  void running.then(
    () => (ended = true),
    (err: unknown) => {
      ended = true;
      stopped = err;
    },
  );
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (ended) throw new Error(`pipeline stopped before ${what}: ${String(stopped)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Binlog to topic: the pipeline starts at the workload's first position (stored beforehand) after
 * the workload is complete; the clock runs from `run()` until a read_committed consumer has seen
 * every row's record. Returns seconds, and seconds until the first record was visible (startup).
 */
async function pipelineDrain(
  broker: EmbeddedBroker,
  db: MariaDbHarness,
  line: Line,
  format: 'canal' | 'debezium',
): Promise<{ secs: number; firstSecs: number; steadyRowsPerSec: number; cpuMicrosPerRow: number }> {
  const name = `bench-cdc-${randomUUID().slice(0, 8)}`;
  const topic = `${name}.rows`;
  const { runner, client } = await pipelineRunner(broker, db, name, topic, format);
  await storePosition(client, name, line.from);
  let seen = 0;
  let first = 0;
  let seenAtFirst = 0;
  let last = 0;
  let cpuAtLast: NodeJS.CpuUsage | undefined;
  const unwatch = await watch(client, topic, (value, at) => {
    if (value === null) return;
    if (seen === 0) first = at;
    seen++;
    if (at === first) seenAtFirst = seen;
    last = at;
    if (seen === line.rows) cpuAtLast = process.cpuUsage(cpuAtStart);
  });
  const stop = new AbortController();
  const cpuAtStart = process.cpuUsage();
  const began = Date.now();
  const running = runner.run(stop.signal);
  const ticker = setInterval(() => progress(`pipeline: ${line.workload}: ${seen}/${line.rows} rows visible in ${topic}`), 2000);
  try {
    await until(() => seen >= line.rows, running, 600_000, `${line.rows} rows in ${topic}`);
  } finally {
    clearInterval(ticker);
    stop.abort();
    await running.catch(() => undefined);
    await unwatch();
  }
  const steadyRowsPerSec = last > first ? (line.rows - seenAtFirst) / ((last - first) / 1000) : Number.NaN;
  const cpuMicrosPerRow = cpuAtLast === undefined ? Number.NaN : (cpuAtLast.user + cpuAtLast.system) / line.rows;
  return { secs: (last - began) / 1000, firstSecs: (first - began) / 1000, steadyRowsPerSec, cpuMicrosPerRow };
}

/**
 * Commit-to-topic latency: single-row transactions carrying their commit-side NOW(6), written one
 * after another while the pipeline streams; latency = when the record became visible to a
 * read_committed consumer minus that time. Canal format (the timestamp is a plain string there).
 */
async function pipelineLatency(broker: EmbeddedBroker, db: MariaDbHarness, count: number): Promise<Percentiles> {
  await db.query(`CREATE TABLE ${DB}.lat_topic (id INT PRIMARY KEY, at DATETIME(6))`);
  const name = `bench-cdc-lat-${randomUUID().slice(0, 8)}`;
  const topic = `${name}.rows`;
  const { runner, client } = await pipelineRunner(broker, db, name, topic, 'canal');
  // From here, not from wherever the source happens to connect: the warm-up row must be read.
  await storePosition(client, name, await positionNow(db));
  const samples: number[] = [];
  let warm = false;
  const unwatch = await watch(client, topic, (value, at) => {
    if (value === null) return;
    const row = (JSON.parse(value.toString('utf8')) as { data: Array<{ id: string; at: string }> }).data[0];
    if (row === undefined) return;
    if (row.id === '0') warm = true;
    else samples.push(at - Date.parse(`${row.at.replace(' ', 'T')}Z`));
  });
  const stop = new AbortController();
  const running = runner.run(stop.signal);
  const conn = await db.connection(DB);
  await conn.query("SET time_zone = '+00:00'");
  const ticker = setInterval(() => progress(`pipeline latency: ${samples.length}/${count} rows visible`), 2000);
  try {
    // One row first, so the measured rows start once the source is streaming and the producer is up.
    await conn.query('INSERT INTO lat_topic VALUES (0, NOW(6))');
    await until(() => warm, running, 60_000, 'the warm-up row');
    for (let i = 1; i <= count; i++) await conn.query('INSERT INTO lat_topic VALUES (?, NOW(6))', [i]);
    await until(() => samples.length >= count, running, 120_000, `${count} latency rows`);
  } finally {
    clearInterval(ticker);
    await conn.end();
    stop.abort();
    await running.catch(() => undefined);
    await unwatch();
  }
  return percentiles(samples);
}

/**
 * Commit-to-record latency while streaming: single-row transactions carrying their commit-side
 * NOW(6), read concurrently; latency = when the record left poll() minus that time.
 */
async function latency(db: MariaDbHarness, count: number): Promise<Percentiles> {
  await db.query(`CREATE TABLE ${DB}.lat (id INT PRIMARY KEY, at DATETIME(6))`);
  const t = task(db, 'canal', await positionNow(db));
  await t.start();
  const samples: number[] = [];
  const signal = new AbortController().signal;
  const conn = await db.connection(DB);
  await conn.query("SET time_zone = '+00:00'");
  let writing = true;
  const writer = (async () => {
    for (let i = 1; i <= count && writing; i++) await conn.query('INSERT INTO lat VALUES (?, NOW(6))', [i]);
  })();
  try {
    while (samples.length < count) {
      const batch: SourceRecord[] = (await t.poll(signal)) ?? [];
      const now = Date.now() + (performance.timeOrigin % 1) * 0;
      for (const r of batch) {
        const at = (r.value as { data: Array<{ at: string }> }).data[0]?.at;
        if (at !== undefined) samples.push(now - Date.parse(`${at.replace(' ', 'T')}Z`));
      }
    }
  } finally {
    writing = false;
    await writer;
    await conn.end();
    await t.stop();
  }
  return percentiles(samples);
}

async function main(): Promise<void> {
  const db = await startMariaDb({ logger: silentLogger });
  const brokerDir = await mkdtemp(join(tmpdir(), 'bench-cdc-broker-'));
  let broker: EmbeddedBroker | undefined;
  try {
    await db.query(`CREATE DATABASE ${DB}`);
    const [version] = await db.query<Array<{ v: string }>>('SELECT VERSION() AS v');
    const lines: Line[] = [];
    for (const workload of [insertHeavy, updateHeavy]) {
      const line = await workload(db);
      progress(`server: ${line.workload}: ${fmt(line.serverRowsPerSec).trim()} rows/s`);
      if (RECORDS_LEVEL) await recordsLevel(db, line);
      lines.push(line);
    }
    const lat = RECORDS_LEVEL ? await latency(db, LATENCY_ROWS) : undefined;
    let topicLat: Percentiles | undefined;
    if (PIPELINE_LEVEL) {
      broker = await EmbeddedBroker.start({ dataDir: brokerDir, port: 0, logger: silentLogger });
      for (const line of lines) {
        const { secs, firstSecs, steadyRowsPerSec, cpuMicrosPerRow } = await pipelineDrain(broker, db, line, PIPELINE_FORMAT);
        line.pipelineRowsPerSec = line.rows / secs;
        line.pipelineSteadyRowsPerSec = steadyRowsPerSec;
        line.pipelineCpuMicrosPerRow = cpuMicrosPerRow;
        progress(`pipeline: ${line.workload}: ${fmt(line.pipelineRowsPerSec).trim()} rows/s (${secs.toFixed(2)} s, first record visible after ${firstSecs.toFixed(2)} s)`);
      }
      topicLat = await pipelineLatency(broker, db, LATENCY_ROWS);
    }

    const ratio = (n: number | undefined, l: Line): string => (n === undefined ? '' : `${(n / l.serverRowsPerSec).toFixed(2)}x`);
    const rate = (n: number | undefined): string => (n === undefined ? '' : fmt(n));
    const out: string[] = [`\nbench/cdc — MariaDB ${version?.v} (harness server), mysql-binlog source`, ''];
    if (RECORDS_LEVEL) {
      out.push('binlog -> records (the task alone, no Kafka)');
      out.push(`${'workload'.padEnd(30)} ${'server rows/s'.padStart(14)} ${'canal rows/s'.padStart(14)} ${'ratio'.padStart(7)} ${'debezium rows/s'.padStart(16)} ${'ratio'.padStart(7)}`);
      for (const l of lines) {
        out.push(`${l.workload.padEnd(30)} ${fmt(l.serverRowsPerSec).padStart(14)} ${rate(l.canalRowsPerSec).padStart(14)} ${ratio(l.canalRowsPerSec, l).padStart(7)} ${rate(l.debeziumRowsPerSec).padStart(16)} ${ratio(l.debeziumRowsPerSec, l).padStart(7)}`);
      }
      if (lat) out.push('', `commit-to-record latency, ${LATENCY_ROWS} single-row transactions streamed live: p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms`);
      out.push('');
    }
    if (PIPELINE_LEVEL) {
      out.push(`binlog -> topic (PipelineRunner, exactly-once, ${PIPELINE_FORMAT} as JSON, embedded broker in-process, read_committed consumer)`);
      out.push(
        `${'workload'.padEnd(30)} ${'server rows/s'.padStart(14)} ${'topic rows/s'.padStart(14)} ${'ratio'.padStart(7)} ${'after 1st record'.padStart(17)} ${'ratio'.padStart(7)} ${'CPU µs/row'.padStart(11)}`,
      );
      for (const l of lines) {
        out.push(
          `${l.workload.padEnd(30)} ${fmt(l.serverRowsPerSec).padStart(14)} ${rate(l.pipelineRowsPerSec).padStart(14)} ${ratio(l.pipelineRowsPerSec, l).padStart(7)} ${rate(l.pipelineSteadyRowsPerSec).padStart(17)} ${ratio(l.pipelineSteadyRowsPerSec, l).padStart(7)} ${(l.pipelineCpuMicrosPerRow ?? Number.NaN).toFixed(0).padStart(11)}`,
        );
      }
      if (topicLat) out.push('', `commit-to-topic latency, ${LATENCY_ROWS} single-row transactions streamed live: p50 ${topicLat.p50} ms, p99 ${topicLat.p99} ms, max ${topicLat.max} ms`);
      out.push('');
    }
    out.push('ratio = rows per second through the source (or into the topic) / rows the server writes per second (>1: keeps up)');
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await broker?.stop();
    await rm(brokerDir, { recursive: true, force: true });
    await db.stop();
  }
}

await main();
