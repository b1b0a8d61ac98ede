import { expect } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import type { KafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import type { PipelineSpec } from '../../../src/pipeline/types.ts';
import { PipelineRunner, type PipelineSummary } from '../../../src/runtime/pipeline-runner.ts';
import { silentLogger, systemClock, type PluginRegistry } from '../../../src/sdk/index.ts';
import { waitFor } from '../exactly-once/support.ts';

export async function loadSpec(file: string): Promise<{ spec: PipelineSpec; registry: PluginRegistry }> {
  const registry = createBuiltinRegistry();
  const { spec, errors } = await loadPipelineFile(file, { env: {}, registry });
  expect(errors).toEqual([]);
  if (spec === undefined) throw new Error(`no spec from ${file}`);
  return { spec, registry };
}

/**
 * Runs only the sinks of a pipeline until every sink group has committed up to the end of its
 * topics as they are now, then stops them the way SIGTERM does.
 */
export async function runSinksUntilCaughtUp(file: string, client: KafkaClient): Promise<PipelineSummary> {
  const { spec, registry } = await loadSpec(file);
  const stop = new AbortController();
  const runner = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'sinks', exitWhenDone: false, progressIntervalMs: 60_000 });
  const running = runner.run(stop.signal);
  let failure: unknown;
  void running.catch((err: unknown) => {
    failure = err;
  });
  const admin = client.admin();
  await admin.connect();
  try {
    const ends = new Map<string, bigint>();
    for (const topic of new Set(spec.sinks.flatMap((s) => s.topics))) {
      for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, BigInt(p.high));
    }
    for (const sink of spec.sinks) {
      await waitFor(
        `sink ${sink.name} to commit up to the end of ${sink.topics.join(', ')}`,
        async () => {
          if (failure !== undefined) throw failure;
          const committed = await admin.fetchCommittedOffsets(sink.group, sink.topics);
          return committed.every((c) => BigInt(c.offset ?? '0') >= (ends.get(`${c.topic}:${c.partition}`) ?? 0n));
        },
        60_000,
      );
    }
  } finally {
    await admin.disconnect();
    stop.abort('caught up');
  }
  return running;
}
