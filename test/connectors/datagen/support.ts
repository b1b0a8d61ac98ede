import { silentLogger, type Clock, type SourceRecord, type SourceTaskContext } from '../../../src/sdk/index.ts';
import { DatagenSourceTask, type DatagenConfig } from '../../../connectors/datagen/index.ts';
import { ManualClock } from '../support/manual-clock.ts';

export interface TaskOptions {
  config?: Partial<DatagenConfig>;
  committed?: Record<string, unknown>;
  clock?: Clock;
  pipeline?: string;
}

/** A datagen task wired the way the runtime wires it, with an in-memory committed-offset lookup. */
export function datagenTask(options: TaskOptions = {}): DatagenSourceTask {
  const ctx: SourceTaskContext<DatagenConfig> = {
    // Partial on purpose: the task must fill defaults itself when the runtime has not.
    config: (options.config ?? {}) as DatagenConfig,
    pipeline: options.pipeline ?? 'test-pipeline',
    logger: silentLogger,
    clock: options.clock ?? new ManualClock(),
    taskId: 0,
    committedOffset: () => options.committed,
  };
  return new DatagenSourceTask(ctx);
}

/** The first `n` records (fewer if the source is exhausted first). */
export async function pollRecords(task: DatagenSourceTask, n: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const signal = new AbortController().signal;
  while (out.length < n) {
    const batch = await task.poll(signal);
    if (batch === null) break;
    out.push(...batch);
  }
  return out.slice(0, n);
}
