/**
 * Embedded broker vs Apache Kafka, same clients, same run: produce and consume throughput for 1 KiB
 * and 100 B records, and produce latency (acks=all, one record per request, sequential). Progress
 * goes to stderr; the report, with ours/peer ratios, to stdout.
 *
 *   npx tsx bench/broker/run.ts            # full sizes, 3 rounds
 *   npx tsx bench/broker/run.ts --quick    # about a minute
 *
 * Both brokers run at once (each in its own process) and every measurement is taken on one, then
 * the other, alternating which goes first per round: on a shared machine, load that comes and goes
 * then falls on both sides rather than on whichever happened to run during it.
 * See bench/broker/README.md for the options and recorded figures.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { createClient, type BenchClient } from './clients.ts';
import { parseBenchOptions, type BenchOptions, type ClientName, type TargetName } from './options.ts';
import { startTarget, type Target } from './targets.ts';
import { consumeThroughput, produceLatency, produceThroughput, progressPrinter, summarize, type Latency, type Throughput } from './workloads.ts';

const SIZES = [
  { name: '1 KiB', bytes: 1024, records: (o: BenchOptions) => o.records1k },
  { name: '100 B', bytes: 100, records: (o: BenchOptions) => o.records100b },
] as const;
type SizeName = (typeof SIZES)[number]['name'];

interface Side {
  target: Target;
  client: BenchClient;
}

/** Everything measured for one broker and client, over all rounds. */
interface Measured {
  produce: Map<SizeName, number[]>;
  consume: Map<SizeName, number[]>;
  latencySamples: number[];
}

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

const mibPerSec = (t: Throughput): number => t.bytes / (1024 * 1024) / t.seconds;

function describe(t: Throughput): string {
  return `${mibPerSec(t).toFixed(1)} MiB/s, ${Math.round(t.records / t.seconds)} rec/s (${t.records} records in ${t.seconds.toFixed(2)} s)`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function newTopic(side: Side, o: BenchOptions, purpose: string): Promise<string> {
  const topic = `bench-${purpose}-${randomUUID()}`;
  await side.client.createTopic(topic, o.partitions);
  return topic;
}

async function warmUp(side: Side, o: BenchOptions): Promise<void> {
  if (o.warmupRecords === 0) return;
  log(`${side.target.name}/${side.client.name}: warming up with ${o.warmupRecords} records (not measured)`);
  const quiet = { tick: () => {} };
  const topic = await newTopic(side, o, 'warmup');
  await produceThroughput(side.client, topic, { count: o.warmupRecords, size: 1024, batchBytes: o.batchBytes, inFlight: o.inFlight, progress: quiet });
  await consumeThroughput(side.client, topic, { count: o.warmupRecords, size: 1024, progress: quiet });
  await produceLatency(side.client, topic, { count: Math.min(200, o.warmupRecords), size: o.latencyBytes, progress: quiet });
}

async function measureRound(side: Side, o: BenchOptions, m: Measured, round: number): Promise<void> {
  const tag = `round ${round} ${side.target.name}/${side.client.name}`;
  const every = o.progressSeconds * 1000;
  for (const size of SIZES) {
    const count = size.records(o);
    const topic = await newTopic(side, o, size.bytes === 1024 ? '1k' : '100b');
    const produced = await produceThroughput(side.client, topic, {
      count,
      size: size.bytes,
      batchBytes: o.batchBytes,
      inFlight: o.inFlight,
      progress: progressPrinter(`${tag} produce ${size.name}`, every, log),
    });
    log(`${tag} produce ${size.name}: ${describe(produced)}`);
    const consumed = await consumeThroughput(side.client, topic, { count, size: size.bytes, progress: progressPrinter(`${tag} consume ${size.name}`, every, log) });
    log(`${tag} consume ${size.name}: ${describe(consumed)}`);
    m.produce.set(size.name, [...(m.produce.get(size.name) ?? []), mibPerSec(produced)]);
    m.consume.set(size.name, [...(m.consume.get(size.name) ?? []), mibPerSec(consumed)]);
  }
  const samples = await produceLatency(side.client, await newTopic(side, o, 'latency'), { count: o.latencyRecords, size: o.latencyBytes, progress: progressPrinter(`${tag} latency`, every, log) });
  const l = summarize(samples);
  log(`${tag} latency: p50 ${l.p50Ms.toFixed(2)} ms, p99 ${l.p99Ms.toFixed(2)} ms, max ${l.maxMs.toFixed(2)} ms`);
  m.latencySamples.push(...samples);
}

/** A throughput over the rounds: the median is what the ratios use; the range shows the noise. */
interface Spread {
  median: number;
  min: number;
  max: number;
}

interface Row {
  target: TargetName;
  targetLabel: string;
  client: ClientName;
  clientLabel: string;
  produce: Map<SizeName, Spread>;
  consume: Map<SizeName, Spread>;
  latency: Latency;
}

function report(o: BenchOptions, rows: Row[], skipped: string[], load: { before: number[]; after: number[] }): string {
  const lines: string[] = [];
  const f1 = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(1));
  const f2 = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(2));
  lines.push(`Broker benchmark, ${new Date().toISOString()}: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`);
  lines.push(`load average (1/5/15 min) at start ${load.before.map(f2).join(' ')}, at end ${load.after.map(f2).join(' ')}`);
  lines.push(
    `${o.rounds} round(s) of: ${o.records1k} x 1 KiB and ${o.records100b} x 100 B records (~${o.batchBytes} B per produce request, ${o.inFlight} in flight), ` +
      `${o.latencyRecords} x ${o.latencyBytes} B sequential produces; ${o.partitions} partition(s), acks=all, no compression, ${o.warmupRecords} warm-up records`,
  );
  lines.push(`Throughput in MiB/s: median${o.rounds > 1 ? ' (lowest-highest round)' : ''}. Latency in ms over all rounds' samples.`);
  lines.push('');
  lines.push('| broker | client | produce 1 KiB | produce 100 B | consume 1 KiB | consume 100 B | latency p50 | p99 | max |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const spread = (x: Spread | undefined): string => (x === undefined ? '-' : o.rounds > 1 ? `${f1(x.median)} (${f1(x.min)}-${f1(x.max)})` : f1(x.median));
  for (const r of rows) {
    lines.push(
      `| ${r.targetLabel} | ${r.clientLabel} | ${spread(r.produce.get('1 KiB'))} | ${spread(r.produce.get('100 B'))} | ${spread(r.consume.get('1 KiB'))} | ${spread(r.consume.get('100 B'))} | ${f2(r.latency.p50Ms)} | ${f2(r.latency.p99Ms)} | ${f2(r.latency.maxMs)} |`,
    );
  }
  const ratios: string[] = [];
  for (const client of o.clients) {
    const ours = rows.find((r) => r.target === 'embedded' && r.client === client);
    const peer = rows.find((r) => r.target === 'kafka' && r.client === client);
    if (!ours || !peer) continue;
    const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '-' : f2(a / b));
    const tput = (size: SizeName, which: 'produce' | 'consume'): string => ratio(ours[which].get(size)?.median, peer[which].get(size)?.median);
    ratios.push(
      `| ${client} | ${tput('1 KiB', 'produce')} | ${tput('100 B', 'produce')} | ${tput('1 KiB', 'consume')} | ${tput('100 B', 'consume')} | ${ratio(ours.latency.p99Ms, peer.latency.p99Ms)} |`,
    );
  }
  if (ratios.length > 0) {
    lines.push('');
    lines.push('Ours / peer (embedded / Apache Kafka). Throughput: above 1 means the embedded broker is faster. p99 latency: above 1 means it is slower.');
    lines.push('');
    lines.push('| client | produce 1 KiB | produce 100 B | consume 1 KiB | consume 100 B | p99 produce latency |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    lines.push(...ratios);
  }
  for (const s of skipped) lines.push(`skipped: ${s}`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  const o = parseBenchOptions(process.argv.slice(2), process.env);
  if ('usage' in o) {
    process.stderr.write(`${o.usage}\n`);
    return 2;
  }
  const load = { before: loadavg(), after: [] as number[] };
  const targets: Target[] = [];
  // Ctrl-C mid-run must not leave a broker behind (the embedded one is a child process).
  const interrupt = (): void => {
    log('interrupted: stopping the brokers');
    void Promise.allSettled(targets.map((t) => t.stop())).then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const sides: Side[] = [];
  const skipped: string[] = [];
  try {
    for (const name of o.targets) {
      log(`starting ${name}`);
      targets.push(await startTarget(name, log));
    }
    for (const clientName of o.clients) {
      for (const target of targets) {
        const client = await createClient(clientName, target.brokers);
        if ('unavailable' in client) {
          if (!skipped.includes(client.unavailable)) skipped.push(client.unavailable);
          log(`skipping ${clientName}: ${client.unavailable}`);
          break;
        }
        sides.push({ target, client });
      }
    }
    const measured = new Map<Side, Measured>(sides.map((s) => [s, { produce: new Map(), consume: new Map(), latencySamples: [] }]));
    for (const side of sides) await warmUp(side, o);
    for (let round = 1; round <= o.rounds; round++) {
      for (const clientName of o.clients) {
        const pair = sides.filter((s) => s.client.name === clientName);
        // Alternate which broker goes first, so neither always runs right after the other's traffic.
        if (round % 2 === 0) pair.reverse();
        for (const side of pair) await measureRound(side, o, measured.get(side) as Measured, round);
      }
    }
    const rows: Row[] = sides.map((s) => {
      const m = measured.get(s) as Measured;
      const med = (values: Map<SizeName, number[]>): Map<SizeName, Spread> => new Map([...values].map(([k, v]) => [k, { median: median(v), min: Math.min(...v), max: Math.max(...v) }]));
      return { target: s.target.name, targetLabel: s.target.label, client: s.client.name, clientLabel: s.client.label, produce: med(m.produce), consume: med(m.consume), latency: summarize(m.latencySamples) };
    });
    load.after = loadavg();
    process.stdout.write(report(o, rows, skipped, load));
    return 0;
  } finally {
    for (const s of sides) await s.client.close().catch((err: unknown) => log(`closing ${s.client.name}: ${String(err)}`));
    for (const t of targets) {
      log(`stopping ${t.name}`);
      await t.stop();
    }
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
