import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafkaClient } from '../../kafka/index.ts';
import { formatPipelineError, loadPipelineFile } from '../../pipeline/load.ts';
import { DlqReplayer, type ReplayEvent, type ReplaySummary } from '../../runtime/dlq-replay.ts';
import { systemClock } from '../../sdk/clock.ts';
import { TributaryError } from '../../sdk/errors.ts';
import { startEmbeddedBroker, type RunningBroker } from '../embedded.ts';
import { ExitCode, type CommandIo } from '../io.ts';

const USAGE = 'usage: tributary dlq replay <pipeline.yaml> [--from-beginning] [--dry-run] [--limit N] [--brokers host:port,...]';
/** At most one progress line per this many milliseconds. */
const PROGRESS_INTERVAL_MS = 1000;

/** `tributary dlq <subcommand>`: only `replay` so far. */
export async function dlqCommand(argv: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'replay') {
    io.stderr.write(`${sub === undefined ? 'dlq: name a subcommand' : `dlq: unknown subcommand "${sub}"`}\n${USAGE}\n`);
    return ExitCode.usage;
  }
  return replayCommand(rest, io);
}

async function replayCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'from-beginning': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      limit: { type: 'string' },
      brokers: { type: 'string' },
      'data-dir': { type: 'string' },
      'broker-port': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new TributaryError('USAGE', `dlq replay: name exactly one pipeline file\n${USAGE}`);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) throw new TributaryError('USAGE', `dlq replay: --limit must be a positive integer, not "${values.limit}"`);
  const file = positionals[0] as string;
  const { spec, errors } = await loadPipelineFile(file, { env: io.env, registry: io.registry });
  for (const e of errors) io.stderr.write(`${formatPipelineError(e)}\n`);
  if (spec === undefined || errors.length > 0) {
    io.stderr.write('not replayed: fix the errors above\n');
    return ExitCode.failed;
  }

  let broker: RunningBroker | undefined;
  let brokers = values.brokers?.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers === undefined && spec.kafka === undefined) {
    const port = values['broker-port'] === undefined ? undefined : Number(values['broker-port']);
    if (port !== undefined && !Number.isInteger(port)) throw new TributaryError('USAGE', `dlq replay: --broker-port must be a port number, not "${values['broker-port']}"`);
    broker = await startEmbeddedBroker({ dataDir: resolve(values['data-dir'] ?? '.tributary'), port, logger: io.logger });
    io.stderr.write(`embedded broker listening on ${broker.bootstrap} (data: ${broker.dataDir})\n`);
    brokers = [broker.bootstrap];
  }
  const connection = brokers === undefined ? spec.kafka : { ...spec.kafka, brokers };
  const logger = io.logger.child({ pipeline: spec.name, command: 'dlq replay' });
  try {
    const client = createKafkaClient(connection ?? { brokers: [] }, { logger, clientId: `tributary-${spec.name}-dlq-replay` });
    const dryRun = values['dry-run'];
    let lastProgress = 0;
    const replayer = new DlqReplayer({
      spec,
      registry: io.registry,
      client,
      logger,
      clock: systemClock,
      fromBeginning: values['from-beginning'],
      dryRun,
      ...(limit !== undefined ? { limit } : {}),
      signal: io.signal,
      onReplay: (event) => {
        if (dryRun) io.stdout.write(`${describeEvent(event, true)}\n`);
        else if (event.action === 'failed-again' || event.action === 'skipped') io.stderr.write(`${describeEvent(event, false)}\n`);
        const now = Date.now();
        if (!dryRun && now - lastProgress >= PROGRESS_INTERVAL_MS) {
          lastProgress = now;
          io.stderr.write(`dlq replay: ${replayer.progress.read} dead letters done (of at most ${replayer.progress.available})\n`);
        }
      },
    });
    const summary = await replayer.run();
    io.stdout.write(formatSummary(spec.name, summary, limit));
    return ExitCode.ok;
  } finally {
    await broker?.stop();
  }
}

function describeEvent(e: ReplayEvent, dryRun: boolean): string {
  const where = `dead letter ${e.partition}@${e.offset} (${e.stage ?? 'no stage'}${e.errorCode ? ` ${e.errorCode}` : ''})`;
  const would = dryRun ? 'would go' : 'went';
  switch (e.action) {
    case 'original-topic':
      return `${where} ${would} back to ${e.topic}${e.partitionOut !== undefined ? `[${e.partitionOut}]` : ''}`;
    case 'source-chain':
      return `${where} ${would} through the source transforms to ${e.topic}`;
    case 'dropped':
      return `${where} ${dryRun ? 'would be' : 'was'} dropped by the source transforms`;
    case 'failed-again':
      return `${where} ${dryRun ? 'would fail' : 'failed'} again: ${e.error ?? ''}`;
    case 'skipped':
      return `${where} ${dryRun ? 'would be' : 'was'} skipped: not a Tributary dead letter`;
  }
}

export function formatSummary(pipeline: string, s: ReplaySummary, limit: number | undefined): string {
  const lines: string[] = [];
  const verb = s.dryRun ? 'would replay' : 'replayed';
  if (s.available === 0) {
    lines.push(`dlq replay ${pipeline}: no dead letters to replay in ${s.deadLetterTopic} (group ${s.group} is at the end)`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`dlq replay ${pipeline}: read ${s.read} dead letters from ${s.deadLetterTopic}${limit !== undefined && s.read >= limit ? ` (--limit ${limit}; more may wait)` : ''}`);
  lines.push(`  ${s.toOriginalTopics} ${verb} to their original topics (sink-side failures)`);
  lines.push(`  ${s.throughSource} ${verb} through the source transforms and serializer (source-side failures)`);
  const destinations = Object.entries(s.byTopic).sort(([a], [b]) => a.localeCompare(b));
  if (destinations.length > 0) lines.push(`  by destination: ${destinations.map(([topic, n]) => `${topic} ${n}`).join(', ')}`);
  if (s.dropped > 0) lines.push(`  ${s.dropped} dropped by the source transforms`);
  if (s.failedAgain > 0) lines.push(`  ${s.failedAgain} failed again${s.dryRun ? '' : ` and went back to ${s.deadLetterTopic} as new dead letters`}`);
  if (s.skipped > 0) lines.push(`  ${s.skipped} skipped (no tributary.dlq.stage header)`);
  lines.push(s.dryRun ? '  dry run: nothing produced, nothing committed' : `  progress committed for group ${s.group}; the next replay starts after these`);
  return `${lines.join('\n')}\n`;
}
