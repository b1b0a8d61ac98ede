import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/sdk/logger.ts';
import { FileCoordinatorStore } from '../../../src/broker/group/file-coordinator-store.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'coordinator.log');
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const noop = (): void => {};
  const logger: Logger & { warnings: string[] } = {
    warnings,
    trace: noop,
    debug: noop,
    info: noop,
    warn: (_obj, msg) => void warnings.push(msg ?? ''),
    error: noop,
    child: () => logger,
  };
  return logger;
}

describe('FileCoordinatorStore', () => {
  it('appends, reloads in order and round-trips bigint as decimal strings', async () => {
    const path = await tempPath();
    const store = await FileCoordinatorStore.open(path);
    await Promise.all([store.append({ n: 1, big: 2n ** 63n - 1n }), store.append({ n: 2 }), store.append({ n: 3 })]);
    await store.close();
    const reopened = await FileCoordinatorStore.open(path);
    expect(await reopened.load()).toEqual([{ n: 1, big: '9223372036854775807' }, { n: 2 }, { n: 3 }]);
    await reopened.close();
  });

  it.each([
    { name: 'a line without its newline', tail: '{"n":3' },
    { name: 'a complete-looking line without its newline', tail: '{"n":3}' },
    { name: 'garbage lines at the end', tail: '\u0000\u0000\n{"n"\n' },
  ])('drops a torn tail ($name) with a warning and keeps appending cleanly', async ({ tail }) => {
    const path = await tempPath();
    const store = await FileCoordinatorStore.open(path);
    await store.append({ n: 1 });
    await store.append({ n: 2 });
    await store.close();
    await appendFile(path, tail);

    const logger = recordingLogger();
    const reopened = await FileCoordinatorStore.open(path, { logger });
    expect(await reopened.load()).toEqual([{ n: 1 }, { n: 2 }]);
    expect(logger.warnings).toHaveLength(1);
    await reopened.append({ n: 4 });
    await reopened.close();
    expect(await readFile(path, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":4}\n');
  });

  it('refuses to load a log with a corrupt line in the middle', async () => {
    const path = await tempPath();
    const store = await FileCoordinatorStore.open(path);
    await store.close();
    await writeFile(path, '{"n":1}\nnot json\n{"n":3}\n');
    const reopened = await FileCoordinatorStore.open(path);
    await expect(reopened.load()).rejects.toThrow(/line 2 is corrupt/);
    await reopened.close();
  });

  it('compaction replaces the log atomically; appends after it land in the new file', async () => {
    const path = await tempPath();
    const store = await FileCoordinatorStore.open(path);
    for (let i = 0; i < 5; i++) await store.append({ n: i });
    const before = store.append({ n: 'before' });
    const compacted = store.compact([{ snapshot: true }]);
    const after = store.append({ n: 'after' });
    await Promise.all([before, compacted, after]);
    expect(await store.load()).toEqual([{ snapshot: true }, { n: 'after' }]);
    await store.close();
    const reopened = await FileCoordinatorStore.open(path);
    expect(await reopened.load()).toEqual([{ snapshot: true }, { n: 'after' }]);
    await reopened.close();
  });

  it('rejects appends after close', async () => {
    const store = await FileCoordinatorStore.open(await tempPath());
    await store.close();
    await expect(store.append({ n: 1 })).rejects.toThrow(/closed/);
    await store.close();
  });
});
