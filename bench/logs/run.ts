/**
 * Log shipping throughput: a log file into a topic with Tributary's file source vs `kcat -P -l`
 * (librdkafka) reading the same file into the same broker, in the same run.
 *
 *   npx tsx bench/logs/run.ts            # 200k lines (~33 MiB), 3 rounds
 *   npx tsx bench/logs/run.ts --quick    # 50k lines, 1 round
 *
 * Each round ships the file once with each tool into a fresh 3-partition topic, alternating which
 * goes first, so load from other work on a shared machine falls on both. Tributary runs in this
 * process as `tributary run --role source` would (the pipeline below, exactly-once by default: each
 * delivery is a Kafka transaction with the file positions); its time runs from start (offset load
 * included) until every line is committed. kcat's time is its process, start to exit (it exits once
 * librdkafka has every message acknowledged). Progress goes to stderr, the report to stdout.
 * See bench/logs/README.md for the options and recorded figures.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileSourceTask, type FileSourceConfig } from '../../connectors/file/source-plugin.ts';
import { FILE_SOURCE_DEFAULTS } from '../../connectors/file/source-config.ts';
import { createBuiltinRegistry } from '../../src/builtins.ts';
import { createKafkaClient } from '../../src/kafka/index.ts';
import { parsePipeline } from '../../src/pipeline/load.ts';
import { PipelineRunner } from '../../src/runtime/pipeline-runner.ts';
import { systemClock } from '../../src/sdk/clock.ts';
import { silentLogger } from '../../src/sdk/logger.ts';
import { startTarget, type Target } from '../broker/targets.ts';
import type { TargetName } from '../broker/options.ts';

interface Options {
  lines: number;
  rounds: number;
  partitions: number;
  target: TargetName;
  delivery: 'exactly-once' | 'at-least-once';
}

const USAGE = 'usage: npx tsx bench/logs/run.ts [--quick] [--lines N] [--rounds N] [--partitions N] [--target kafka|embedded] [--delivery exactly-once|at-least-once]';

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const quick = argv.includes('--quick');
  const o: Options = {
    lines: Number(env.BENCH_LINES ?? (quick ? 50_000 : 200_000)),
    rounds: Number(env.BENCH_ROUNDS ?? (quick ? 1 : 3)),
    partitions: Number(env.BENCH_PARTITIONS ?? 3),
    target: (env.BENCH_TARGET ?? 'kafka') as TargetName,
    delivery: (env.BENCH_DELIVERY ?? 'exactly-once') as Options['delivery'],
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split('=', 2) as [string, string | undefined];
    if (flag === '--quick') continue;
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--lines') o.lines = Number(value);
    else if (flag === '--rounds') o.rounds = Number(value);
    else if (flag === '--partitions') o.partitions = Number(value);
    else if (flag === '--target') o.target = value as TargetName;
    else if (flag === '--delivery') o.delivery = value as Options['delivery'];
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (![o.lines, o.rounds, o.partitions].every((n) => Number.isInteger(n) && n > 0)) throw new Error(`--lines, --rounds and --partitions take positive integers\n${USAGE}`);
  if (!['kafka', 'embedded'].includes(o.target)) throw new Error(`--target is kafka or embedded\n${USAGE}`);
  if (!['exactly-once', 'at-least-once'].includes(o.delivery)) throw new Error(`--delivery is exactly-once or at-least-once\n${USAGE}`);
  return o;
}

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

interface Measurement {
  seconds: number;
  lines: number;
  bytes: number;
  /** Tributary only: seconds until the first delivery was committed (connect, offset load, first transaction). */
  startup?: number;
  /** Tributary only: lines in that first delivery. */
  firstLines?: number;
}

const linesPerSec = (m: Measurement): number => m.lines / m.seconds;
const mibPerSec = (m: Measurement): number => m.bytes / (1024 * 1024) / m.seconds;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** An nginx access log of `lines` lines, deterministic, ~170 bytes a line. */
async function writeAccessLog(path: string, lines: number): Promise<number> {
  const out = createWriteStream(path);
  const paths = ['/', '/index.html', '/api/orders?page=2', '/static/app.js', '/login', '/api/users/42', '/search?q=kafka+connect'];
  const agents = ['Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0', 'curl/8.5.0', 'Go-http-client/1.1'];
  let chunk = '';
  for (let i = 0; i < lines; i++) {
    const s = i % 60;
    const m = Math.floor(i / 60) % 60;
    chunk += `10.0.${(i >> 8) & 255}.${i & 255} - - [10/Mar/2024:13:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')} +0100] "GET ${paths[i % paths.length]} HTTP/1.1" ${i % 17 === 0 ? 404 : 200} ${(i * 7919) % 60_000} "-" "${agents[i % agents.length]}"\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once('finish', () => r()));
  return (await stat(path)).size;
}

async function createTopic(target: Target, topic: string, partitions: number): Promise<void> {
  const admin = createKafkaClient({ brokers: target.brokers }, { logger: silentLogger, clientId: 'bench-logs' }).admin();
  await admin.connect();
  try {
    await admin.ensureTopics([{ topic, partitions }]);
  } finally {
    await admin.disconnect();
  }
}

/** Tributary: the file source pipeline, in this process, until every line is committed. */
async function shipWithTributary(target: Target, file: string, bytes: number, o: Options): Promise<Measurement> {
  const name = `bench-logs-${randomUUID()}`;
  const topic = `${name}.lines`;
  await createTopic(target, topic, o.partitions);
  const yaml = `name: ${name}
kafka: { brokers: [${target.brokers.join(', ')}] }
source:
  connector: file
  delivery: ${o.delivery}
  config: { include: ["${file}"] }
topic: { name: ${topic}, partitions: ${o.partitions} }
serializer: { format: string }
keySerializer: { format: string }
`;
  const registry = createBuiltinRegistry();
  const { spec, errors } = await parsePipeline(yaml, join(tmpdir(), `${name}.yaml`), { env: {}, registry });
  if (spec === undefined) throw new Error(`bench pipeline does not load: ${JSON.stringify(errors)}`);
  const client = createKafkaClient(spec.kafka ?? { brokers: target.brokers }, { logger: silentLogger, clientId: name });
  const runner = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'source', exitWhenDone: false, progressIntervalMs: 3_600_000 });
  const stop = new AbortController();
  const started = performance.now();
  const running = runner.run(stop.signal);
  let failure: unknown;
  running.catch((err: unknown) => {
    failure = err;
  });
  let seconds = 0;
  let startup: number | undefined;
  let firstLines = 0;
  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      const produced = runner.summary().source?.produced ?? 0;
      if (produced > 0 && startup === undefined) {
        startup = (performance.now() - started) / 1000;
        firstLines = produced;
      }
      if (produced >= o.lines) {
        seconds = (performance.now() - started) / 1000;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    stop.abort();
    await running.catch(() => undefined);
  }
  const produced = runner.summary().source?.produced ?? 0;
  if (produced !== o.lines) throw new Error(`tributary produced ${produced} records for ${o.lines} lines`);
  return { seconds, lines: o.lines, bytes, startup: startup ?? seconds, firstLines };
}

/** kcat -P -l: librdkafka reading the file, one message per line, until every message is acknowledged. */
async function shipWithKcat(target: Target, file: string, bytes: number, o: Options): Promise<Measurement> {
  const topic = `bench-logs-kcat-${randomUUID()}`;
  await createTopic(target, topic, o.partitions);
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('kcat', ['-P', '-b', target.brokers.join(','), '-t', topic, '-l', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (c) => (c === 0 ? resolve(c) : reject(new Error(`kcat exited with ${c}: ${err.trim()}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error('kcat failed');
  const admin = createKafkaClient({ brokers: target.brokers }, { logger: silentLogger, clientId: 'bench-logs' }).admin();
  await admin.connect();
  try {
    const total = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
    if (total !== o.lines) throw new Error(`kcat produced ${total} records for ${o.lines} lines`);
  } finally {
    await admin.disconnect();
  }
  return { seconds, lines: o.lines, bytes };
}

/** The file source alone, no Kafka: how fast lines are read, split and turned into records. */
async function readOnly(file: string, bytes: number, o: Options): Promise<Measurement> {
  const task = new FileSourceTask({
    config: { ...FILE_SOURCE_DEFAULTS, include: [file] } as FileSourceConfig,
    pipeline: 'bench',
    logger: silentLogger,
    clock: systemClock,
    taskId: 0,
    committedOffset: () => undefined,
  });
  const signal = new AbortController().signal;
  const started = performance.now();
  await task.start();
  let lines = 0;
  while (lines < o.lines) lines += (await task.poll(signal)).length;
  const seconds = (performance.now() - started) / 1000;
  await task.stop();
  return { seconds, lines, bytes };
}

function describe(m: Measurement): string {
  const startup = m.startup === undefined ? '' : `, ${m.startup.toFixed(2)} s of it before the first commit`;
  return `${Math.round(linesPerSec(m)).toLocaleString('en')} lines/s, ${mibPerSec(m).toFixed(1)} MiB/s (${m.seconds.toFixed(2)} s${startup})`;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), process.env);
  const dir = await mkdtemp(join(tmpdir(), 'tributary-bench-logs-'));
  let target: Target | undefined;
  try {
    const file = join(dir, 'access.log');
    const bytes = await writeAccessLog(file, o.lines);
    log(`wrote ${o.lines} lines, ${(bytes / 1024 / 1024).toFixed(1)} MiB to ${file}`);
    target = await startTarget(o.target, log);
    const ours: Measurement[] = [];
    const peer: Measurement[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      const order = round % 2 === 1 ? (['tributary', 'kcat'] as const) : (['kcat', 'tributary'] as const);
      for (const who of order) {
        const m = who === 'tributary' ? await shipWithTributary(target, file, bytes, o) : await shipWithKcat(target, file, bytes, o);
        (who === 'tributary' ? ours : peer).push(m);
        log(`round ${round} ${who}: ${describe(m)}`);
      }
    }
    const alone = await readOnly(file, bytes, o);
    const med = (ms: Measurement[]): Measurement => {
      const m: Measurement = { seconds: median(ms.map((x) => x.seconds)), lines: o.lines, bytes };
      const startups = ms.flatMap((x) => (x.startup === undefined ? [] : [x.startup]));
      if (startups.length > 0) m.startup = median(startups);
      const firsts = ms.flatMap((x) => (x.firstLines === undefined ? [] : [x.firstLines]));
      if (firsts.length > 0) m.firstLines = median(firsts);
      return m;
    };
    const a = med(ours);
    const b = med(peer);
    // Fixed start-up costs (connecting, loading committed positions) weigh heavily on a short run.
    const steady = (o.lines - (a.firstLines ?? 0)) / (a.seconds - (a.startup ?? 0));
    const out = [
      `log shipping, ${o.lines.toLocaleString('en')} nginx lines (${(bytes / 1024 / 1024).toFixed(1)} MiB) into a ${o.partitions}-partition topic on ${target.label}, median of ${o.rounds} round(s)`,
      `machine: ${availableParallelism()} cpus (${cpus()[0]?.model.trim() ?? 'unknown'}), load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, node ${process.version}`,
      `  tributary file source (${o.delivery}): ${describe(a)}`,
      `  kcat -P -l (librdkafka):           ${describe(b)}`,
      `  ratio ours/peer (lines/s):          ${(linesPerSec(a) / linesPerSec(b)).toFixed(2)}`,
      `  ours after its first commit:        ${Math.round(steady).toLocaleString('en')} lines/s; ratio ours/peer on that rate: ${(steady / linesPerSec(b)).toFixed(2)}`,
      `  file source alone, no Kafka:        ${describe(alone)}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await target?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
