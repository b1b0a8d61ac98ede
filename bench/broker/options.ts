/**
 * Benchmark sizes and switches, from flags (`--records-1k 50000` or `--records-1k=50000`) with the
 * environment as fallback (`BENCH_RECORDS_1K=50000`). `--quick` picks sizes for a ~1 minute run.
 */

export type TargetName = 'embedded' | 'kafka';
export type ClientName = 'kafkajs' | 'librdkafka';

export interface BenchOptions {
  /** Records of 1 KiB per throughput run. */
  records1k: number;
  /** Records of 100 B per throughput run. */
  records100b: number;
  /** Sequential one-record produces per latency run. */
  latencyRecords: number;
  /** Record size of the latency run, in bytes. */
  latencyBytes: number;
  /** Records produced (and not measured) before each run, so both JITs are warm. */
  warmupRecords: number;
  /** Bytes of records per produce request in the throughput runs. */
  batchBytes: number;
  /** Produce requests a throughput run keeps outstanding. */
  inFlight: number;
  partitions: number;
  targets: TargetName[];
  clients: ClientName[];
  /** Seconds between progress lines. */
  progressSeconds: number;
  /** Times each measurement is repeated (brokers alternating); the report shows the median. */
  rounds: number;
}

interface Preset {
  rounds: number;
  records1k: number;
  records100b: number;
  latencyRecords: number;
  warmupRecords: number;
}

const FULL: Preset = { rounds: 3, records1k: 200_000, records100b: 500_000, latencyRecords: 5_000, warmupRecords: 50_000 };
const QUICK: Preset = { rounds: 1, records1k: 60_000, records100b: 150_000, latencyRecords: 1_500, warmupRecords: 10_000 };

const NUMERIC = {
  '--records-1k': 'BENCH_RECORDS_1K',
  '--records-100b': 'BENCH_RECORDS_100B',
  '--latency-records': 'BENCH_LATENCY_RECORDS',
  '--latency-bytes': 'BENCH_LATENCY_BYTES',
  '--warmup-records': 'BENCH_WARMUP_RECORDS',
  '--batch-bytes': 'BENCH_BATCH_BYTES',
  '--in-flight': 'BENCH_IN_FLIGHT',
  '--partitions': 'BENCH_PARTITIONS',
  '--progress-seconds': 'BENCH_PROGRESS_SECONDS',
  '--rounds': 'BENCH_ROUNDS',
} as const;
const LISTS = { '--targets': 'BENCH_TARGETS', '--clients': 'BENCH_CLIENTS' } as const;

export const USAGE = `usage: npx tsx bench/broker/run.ts [--quick] [--targets embedded,kafka] [--clients kafkajs,librdkafka]
  [--records-1k N] [--records-100b N] [--latency-records N] [--latency-bytes N] [--warmup-records N]
  [--batch-bytes N] [--in-flight N] [--partitions N] [--rounds N] [--progress-seconds N]
Every flag also reads from the environment: BENCH_QUICK=1, BENCH_TARGETS, BENCH_CLIENTS, BENCH_RECORDS_1K, ...`;

export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | { usage: string } {
  const given = new Map<string, string>();
  let quick = env.BENCH_QUICK === '1';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--quick') {
      quick = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') return { usage: USAGE };
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(flag in NUMERIC) && !(flag in LISTS)) return { usage: `unknown argument "${arg}"\n${USAGE}` };
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') return { usage: `${flag} needs a value` };
    given.set(flag, value);
  }
  const preset = quick ? QUICK : FULL;
  const defaults: Record<keyof typeof NUMERIC, number> = {
    '--records-1k': preset.records1k,
    '--records-100b': preset.records100b,
    '--latency-records': preset.latencyRecords,
    '--latency-bytes': 100,
    '--warmup-records': preset.warmupRecords,
    '--batch-bytes': 64 * 1024,
    '--in-flight': 4,
    '--partitions': 1,
    '--progress-seconds': 3,
    '--rounds': preset.rounds,
  };
  const numbers = {} as Record<keyof typeof NUMERIC, number>;
  for (const [flag, envName] of Object.entries(NUMERIC) as Array<[keyof typeof NUMERIC, string]>) {
    const raw = given.get(flag) ?? env[envName];
    const n = raw === undefined ? defaults[flag] : Number(raw);
    if (!Number.isInteger(n) || n < (flag === '--warmup-records' ? 0 : 1)) return { usage: `${flag} must be a positive integer, not "${raw}"` };
    numbers[flag] = n;
  }
  const list = (flag: keyof typeof LISTS, allowed: readonly string[], fallback: string): string[] | string => {
    const items = (given.get(flag) ?? env[LISTS[flag]] ?? fallback).split(',').map((s) => s.trim()).filter((s) => s !== '');
    const bad = items.find((s) => !allowed.includes(s));
    return bad !== undefined || items.length === 0 ? `${flag} takes a comma-separated subset of ${allowed.join(',')}` : items;
  };
  const targets = list('--targets', ['embedded', 'kafka'], 'embedded,kafka');
  if (typeof targets === 'string') return { usage: targets };
  const clients = list('--clients', ['kafkajs', 'librdkafka'], 'kafkajs,librdkafka');
  if (typeof clients === 'string') return { usage: clients };
  return {
    records1k: numbers['--records-1k'],
    records100b: numbers['--records-100b'],
    latencyRecords: numbers['--latency-records'],
    latencyBytes: numbers['--latency-bytes'],
    warmupRecords: numbers['--warmup-records'],
    batchBytes: numbers['--batch-bytes'],
    inFlight: numbers['--in-flight'],
    partitions: numbers['--partitions'],
    progressSeconds: numbers['--progress-seconds'],
    rounds: numbers['--rounds'],
    targets: targets as TargetName[],
    clients: clients as ClientName[],
  };
}
