import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createKafkaClient } from '../../kafka/index.ts';
import { formatPipelineError, loadPipelineFile } from '../../pipeline/load.ts';
import type { PipelineSpec } from '../../pipeline/types.ts';
import { PipelineRunner, type PipelineRole, type PipelineSummary } from '../../runtime/pipeline-runner.ts';
import { systemClock } from '../../sdk/clock.ts';
import { TributaryError, errorMessage } from '../../sdk/errors.ts';
import { ExitCode, type CommandIo } from '../io.ts';
import { startEmbeddedBroker, type RunningBroker } from '../embedded.ts';

/** `tributary run`: load every file (all errors reported before anything starts), then run them together. */
export async function runCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string', default: 'all' },
      sink: { type: 'string', multiple: true },
      'keep-running': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'broker-port': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new TributaryError('USAGE', 'run: name at least one pipeline file (see `tributary help run`)');
  const role = values.role as PipelineRole;
  if (!['all', 'source', 'sinks'].includes(role)) throw new TributaryError('USAGE', `run: --role must be all, source or sinks, not "${values.role}"`);
  const specs: PipelineSpec[] = [];
  let invalid = false;
  for (const file of positionals) {
    const { spec, errors } = await loadPipelineFile(file, { env: io.env, registry: io.registry });
    for (const e of errors) io.stderr.write(`${formatPipelineError(e)}\n`);
    if (spec === undefined || errors.length > 0) invalid = true;
    else specs.push(spec);
  }
  if (invalid) {
    io.stderr.write('not started: fix the errors above (`tributary validate` checks without running)\n');
    return ExitCode.failed;
  }
  let broker: RunningBroker | undefined;
  if (specs.some((s) => s.kafka === undefined)) {
    const port = values['broker-port'] === undefined ? undefined : Number(values['broker-port']);
    if (port !== undefined && !Number.isInteger(port)) throw new TributaryError('USAGE', `run: --broker-port must be a port number, not "${values['broker-port']}"`);
    broker = await startEmbeddedBroker({ dataDir: resolve(values['data-dir'] ?? '.tributary'), port, logger: io.logger });
    io.stderr.write(`embedded broker listening on ${broker.bootstrap} (data: ${broker.dataDir}); try: kcat -b ${broker.bootstrap} -L\n`);
  }
  const sinkNames = values.sink ?? [];
  try {
    const results = await Promise.allSettled(
      specs.map((spec) => {
        const logger = io.logger.child({ pipeline: spec.name });
        const client = createKafkaClient(spec.kafka ?? { brokers: [broker?.bootstrap ?? ''] }, { logger, clientId: `tributary-${spec.name}` });
        const runner = new PipelineRunner({
          spec,
          registry: io.registry,
          client,
          logger,
          clock: systemClock,
          role: sinkNames.length > 0 && role === 'all' ? 'sinks' : role,
          sinkNames,
          exitWhenDone: !values['keep-running'],
        });
        return runner.run(io.signal);
      }),
    );
    let failed = false;
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') io.stderr.write(`${describeSummary(r.value)}\n`);
      if (r.status === 'rejected') {
        failed = true;
        io.stderr.write(`pipeline ${specs[i]?.name ?? i} failed: ${errorMessage(r.reason)}\n`);
      }
    }
    return failed ? ExitCode.failed : ExitCode.ok;
  } finally {
    await broker?.stop();
  }
}

/** One line per pipeline for people: what came in, what went out, what was set aside. */
function describeSummary(s: PipelineSummary): string {
  const parts: string[] = [];
  if (s.source) parts.push(`${s.source.produced} records produced${s.source.deadLettered ? `, ${s.source.deadLettered} dead-lettered` : ''}`);
  const bySink = new Map<string, { written: number; deadLettered: number; workers: number }>();
  for (const w of s.sinks) {
    const t = bySink.get(w.name) ?? { written: 0, deadLettered: 0, workers: 0 };
    t.written += w.written;
    t.deadLettered += w.deadLettered;
    t.workers++;
    bySink.set(w.name, t);
  }
  for (const [name, t] of bySink) parts.push(`sink ${name}: ${t.written} written by ${t.workers} worker${t.workers === 1 ? '' : 's'}${t.deadLettered ? `, ${t.deadLettered} dead-lettered` : ''}`);
  return `pipeline ${s.pipeline}: ${parts.join('; ') || 'nothing to do'}`;
}
