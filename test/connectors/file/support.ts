import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { afterEach, beforeEach } from 'vitest';
import { silentLogger, type Logger, type SinkTaskContext } from '../../../src/sdk/index.ts';
import { FileSinkTask, type FileSinkConfig } from '../../../connectors/file/index.ts';
import { ManualClock } from '../support/manual-clock.ts';

/** A fresh temporary directory for each test of the enclosing describe, handed to `ready` and removed after the test. */
export function useTempDir(ready: (path: string) => void): void {
  let path: string | undefined;
  beforeEach(async () => {
    path = await mkdtemp(join(tmpdir(), 'tributary-file-sink-'));
    ready(path);
  });
  afterEach(async () => {
    if (path !== undefined) await rm(path, { recursive: true, force: true });
    path = undefined;
  });
}

/**
 * Opens real files and counts what happens to them, and can make one file's next append fail
 * (after writing part of it) or its next open fail, to exercise recovery paths. The bytes still go
 * to disk.
 */
export class ObservedFs {
  readonly syncs = new Map<string, number>();
  /** `sync <path>` and `append <path>` in the order they happened. */
  readonly events: string[] = [];
  private failNextAppend = new Set<string>();
  /** Paths whose open fails once, after this many more successful opens. */
  private failOpen = new Map<string, number>();

  readonly openFile = async (path: string, flags: string): Promise<FileHandle> => {
    const skips = this.failOpen.get(path);
    if (skips === 0) {
      this.failOpen.delete(path);
      throw Object.assign(new Error('input/output error'), { code: 'EIO' });
    }
    if (skips !== undefined) this.failOpen.set(path, skips - 1);
    const handle = await open(path, flags);
    const syncs = this.syncs;
    const events = this.events;
    const failNextAppend = this.failNextAppend;
    return new Proxy(handle, {
      get(target, prop, receiver) {
        if (prop === 'sync' || prop === 'datasync') {
          return async () => {
            syncs.set(path, (syncs.get(path) ?? 0) + 1);
            events.push(`sync ${path}`);
            await target.sync();
          };
        }
        if (prop === 'appendFile') {
          return async (data: Buffer) => {
            if (failNextAppend.delete(path)) {
              await target.appendFile(data.subarray(0, Math.floor(data.length / 2)));
              throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
            }
            events.push(`append ${path}`);
            await target.appendFile(data);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  };

  failNextAppendTo(path: string): void {
    this.failNextAppend.add(path);
  }

  /** An open of exactly `path` fails with EIO (nothing is created): the next one, or the one after `skip` more. */
  failNextOpenOf(path: string, skip = 0): void {
    this.failOpen.set(path, skip);
  }

  syncCount(path: string): number {
    return this.syncs.get(path) ?? 0;
  }
}

export function fileSinkTask(config: Partial<FileSinkConfig>, options: { fs?: ObservedFs; logger?: Logger; group?: string } = {}): FileSinkTask {
  const ctx: SinkTaskContext<FileSinkConfig> = {
    config: config as FileSinkConfig,
    pipeline: 'test-pipeline',
    logger: options.logger ?? silentLogger,
    clock: new ManualClock(),
    sinkName: 'files',
    group: options.group ?? 'tributary-test-pipeline-files',
    workerId: 0,
  };
  return new FileSinkTask(ctx, options.fs === undefined ? {} : { openFile: options.fs.openFile });
}
