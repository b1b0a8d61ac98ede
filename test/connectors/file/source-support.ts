import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Clock, type Logger, type SourceRecord, type SourceTaskContext } from '../../../src/sdk/index.ts';
import { FileSourceTask, type FileSourceConfig } from '../../../connectors/file/source-plugin.ts';
import { FILE_SOURCE_DEFAULTS } from '../../../connectors/file/source-config.ts';

export async function sourceDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'tributary-file-source-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A clock that never waits: `sleep(ms)` moves time forward by `ms` and resolves at once. Polls that
 * find nothing therefore advance time, which drives scans, idle closes and multiline timeouts
 * deterministically without real waiting.
 */
export class SteppingClock implements Clock {
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.time += Math.max(0, ms);
    return Promise.resolve();
  }
}

/** Committed positions as the runtime keeps them: by canonical source partition. */
export class CommittedOffsets {
  readonly byPartition = new Map<string, Record<string, unknown>>();

  /** What the runtime does after a delivery: the last offset per partition becomes committed. */
  commit(records: SourceRecord[]): void {
    for (const r of records) this.byPartition.set(JSON.stringify(r.sourcePartition), r.sourceOffset);
  }

  lookup = (p: Record<string, unknown>): Record<string, unknown> | undefined => this.byPartition.get(JSON.stringify(p));
}

export function fileSourceTask(config: Partial<FileSourceConfig> & { include: string[] }, options: { clock?: Clock; committed?: CommittedOffsets; logger?: Logger } = {}): FileSourceTask {
  const ctx: SourceTaskContext<FileSourceConfig> = {
    config: { ...FILE_SOURCE_DEFAULTS, scanIntervalMs: 50, pollIntervalMs: 10, ...config } as FileSourceConfig,
    pipeline: 'test',
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? new SteppingClock(),
    taskId: 0,
    committedOffset: options.committed?.lookup ?? (() => undefined),
  };
  return new FileSourceTask(ctx);
}

const signal = new AbortController().signal;

/** Polls until `until` holds for everything returned so far, or `maxPolls` polls found nothing more. */
export async function pollUntil(task: FileSourceTask, until: (records: SourceRecord[]) => boolean, maxIdlePolls = 200): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  let idle = 0;
  while (!until(out) && idle < maxIdlePolls) {
    const batch = await task.poll(signal);
    if (batch.length === 0) idle++;
    else idle = 0;
    out.push(...batch);
  }
  return out;
}

export async function pollLines(task: FileSourceTask, count: number): Promise<SourceRecord[]> {
  return pollUntil(task, (r) => r.length >= count);
}

export const values = (records: SourceRecord[]): unknown[] => records.map((r) => r.value);

/** A logger that keeps warnings, for tests of what the source tells the operator. */
export function warningLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const noop = (): void => {};
  const logger: Logger = { trace: noop, debug: noop, info: noop, error: noop, warn: (_obj, msg) => warnings.push(msg ?? ''), child: () => logger };
  return { logger, warnings };
}
