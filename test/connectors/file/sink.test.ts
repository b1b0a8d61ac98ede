import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/sdk/index.ts';
import { rejection } from '../../support/rejection.ts';
import { sinkRecord } from '../support/sink-records.ts';
import { ObservedFs, fileSinkTask, useTempDir } from './support.ts';

const lines = async (path: string): Promise<unknown[]> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);

describe('file sink', () => {
  let dir: string;
  useTempDir((path) => {
    dir = path;
  });

  it('writes one file per topic-partition, in record order', async () => {
    const task = fileSinkTask({ directory: dir });
    await task.start();
    await task.put(
      [
        sinkRecord({ topic: 'orders', partition: 0, offset: 0, value: { n: 1 } }),
        sinkRecord({ topic: 'orders', partition: 1, offset: 0, value: { n: 2 } }),
        sinkRecord({ topic: 'users', partition: 0, offset: 5, value: { n: 3 } }),
        sinkRecord({ topic: 'orders', partition: 0, offset: 1, value: { n: 4 } }),
      ],
      [],
    );
    await task.stop();
    expect(await dataFiles(dir)).toEqual(['orders-0.jsonl', 'orders-1.jsonl', 'users-0.jsonl']);
    expect((await lines(join(dir, 'orders-0.jsonl'))).map((l) => (l as { value: { n: number } }).value.n)).toEqual([1, 4]);
    expect(await lines(join(dir, 'users-0.jsonl'))).toEqual([{ topic: 'users', partition: 0, offset: '5', key: null, value: { n: 3 }, timestamp: 1_700_000_000_000 }]);
  });

  it('creates the directory on start', async () => {
    const nested = join(dir, 'a', 'b');
    const task = fileSinkTask({ directory: nested });
    await task.start();
    await task.put([sinkRecord({ offset: 0, value: 1 })], []);
    await task.stop();
    expect(await dataFiles(nested)).toEqual(['orders-0.jsonl']);
  });

  it('writes the envelope by default and only values with format: value', async () => {
    const record = sinkRecord({ offset: 3, key: 'k1', value: { big: 12345678901234567890n, raw: Buffer.from('hi') }, headers: [{ key: 'h', value: 'v' }] });
    const envelope = fileSinkTask({ directory: join(dir, 'env') });
    await envelope.start();
    await envelope.put([record], []);
    await envelope.stop();
    expect(await readFile(join(dir, 'env', 'orders-0.jsonl'), 'utf8')).toBe(
      '{"topic":"orders","partition":0,"offset":"3","key":"k1","value":{"big":12345678901234567890,"raw":"aGk="},"headers":[{"key":"h","value":"v"}],"timestamp":1700000000000}\n',
    );

    const values = fileSinkTask({ directory: join(dir, 'val'), format: 'value' });
    await values.start();
    await values.put([record, sinkRecord({ offset: 4, value: null })], []);
    await values.stop();
    expect(await readFile(join(dir, 'val', 'orders-0.jsonl'), 'utf8')).toBe('{"big":12345678901234567890,"raw":"aGk="}\nnull\n');
  });

  it('has the batch on disk and fsynced when put resolves', async () => {
    const fs = new ObservedFs();
    const task = fileSinkTask({ directory: dir }, { fs });
    await task.start();
    const p0 = join(dir, 'orders-0.jsonl');
    const p1 = join(dir, 'orders-1.jsonl');
    await task.put([sinkRecord({ offset: 0, value: 'a' }), sinkRecord({ partition: 1, offset: 0, value: 'b' })], []);
    expect(fs.syncCount(p0)).toBe(1);
    expect(fs.syncCount(p1)).toBe(1);
    // New files are made durable by syncing their directory too (once each), and so are the
    // manifest renames: once to list the new files before appending, once to commit the batch.
    expect(fs.syncCount(dir)).toBe(4);
    expect(await lines(p0)).toHaveLength(1);

    await task.put([sinkRecord({ offset: 1, value: 'c' })], []);
    expect(fs.syncCount(p0)).toBe(2);
    expect(fs.syncCount(p1)).toBe(1); // untouched by the second batch
    expect(fs.syncCount(dir)).toBe(5); // the commit's rename only
    await task.stop();
  });

  it('does not fsync with fsync: false', async () => {
    const fs = new ObservedFs();
    const task = fileSinkTask({ directory: dir, fsync: false }, { fs });
    await task.start();
    await task.put([sinkRecord({ offset: 0, value: 'a' })], []);
    await task.stop();
    expect(fs.syncs.size).toBe(0);
    expect(await lines(join(dir, 'orders-0.jsonl'))).toHaveLength(1);
  });

  it('appends to existing files when reopened', async () => {
    const first = fileSinkTask({ directory: dir });
    await first.start();
    await first.put([sinkRecord({ offset: 0, value: 'a' })], []);
    await first.stop();

    const second = fileSinkTask({ directory: dir });
    await second.start();
    await second.put([sinkRecord({ offset: 1, value: 'b' })], []);
    await second.stop();
    expect((await lines(join(dir, 'orders-0.jsonl'))).map((l) => (l as { value: string }).value)).toEqual(['a', 'b']);
  });

  it('drops a partial last line left by an interrupted write when it opens the file', async () => {
    const path = join(dir, 'orders-0.jsonl');
    await writeFile(path, '{"value":"whole"}\n{"value":"cut sho');
    const warnings: object[] = [];
    const logger = { ...quietLogger(), warn: (obj: object) => warnings.push(obj) };
    const task = fileSinkTask({ directory: dir, format: 'value' }, { logger });
    await task.start();
    await task.open([{ topic: 'orders', partition: 0 }]);
    await task.put([sinkRecord({ offset: 1, value: 'next' })], []);
    await task.stop();
    expect(await readFile(path, 'utf8')).toBe('{"value":"whole"}\n"next"\n');
    expect(warnings).toEqual([{ path, bytes: '{"value":"cut sho'.length }]);
  });

  it('opens files on open(), closes them on close(), and reopens on a later put', async () => {
    const task = fileSinkTask({ directory: dir });
    await task.start();
    await task.open([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
    ]);
    expect(await dataFiles(dir)).toEqual(['orders-0.jsonl', 'orders-1.jsonl']);
    expect(task.openPartitions()).toHaveLength(2);

    await task.close([{ topic: 'orders', partition: 0 }, { topic: 'never-opened', partition: 9 }]);
    expect(task.openPartitions()).toEqual([{ topic: 'orders', partition: 1 }]);

    await task.put([sinkRecord({ offset: 0, value: 'after close' })], []);
    expect(task.openPartitions()).toHaveLength(2);
    await task.stop();
    expect(await lines(join(dir, 'orders-0.jsonl'))).toHaveLength(1);
  });

  it('is safe to stop twice, and refuses puts after stop', async () => {
    const task = fileSinkTask({ directory: dir });
    await task.start();
    await task.put([sinkRecord({ offset: 0, value: 'a' })], []);
    await task.stop();
    await task.stop();
    expect(task.openPartitions()).toEqual([]);
    expect((await rejection(task.put([sinkRecord({ offset: 1, value: 'b' })], []))).code).toBe('INTERNAL');
  });

  it('rejects records it cannot write, naming their offsets, before writing any of the batch', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const task = fileSinkTask({ directory: dir });
    await task.start();
    const err = await rejection(
      task.put(
        [
          sinkRecord({ offset: 0, value: 'fine' }),
          sinkRecord({ offset: 1, value: circular }),
          sinkRecord({ topic: '../escape', offset: 7, value: 'x' }),
        ],
        [],
      ),
    );
    await task.stop();
    expect(err.code).toBe('SINK_RECORD_REJECTED');
    expect(err.details.offsets).toEqual([
      { topic: 'orders', partition: 0, offset: '1', reason: expect.stringMatching(/cycle/) },
      { topic: '../escape', partition: 0, offset: '7', reason: 'topic "../escape" is not a valid Kafka topic name' },
    ]);
    expect(await dataFiles(dir)).toEqual([]);
  });

  it('undoes a failed batch in every file so the retry does not duplicate lines', async () => {
    const fs = new ObservedFs();
    const task = fileSinkTask({ directory: dir, format: 'value' }, { fs });
    await task.start();
    await task.put([sinkRecord({ offset: 0, value: 'a0' }), sinkRecord({ partition: 1, offset: 0, value: 'b0' })], []);

    const batch = [sinkRecord({ offset: 1, value: 'a1' }), sinkRecord({ partition: 1, offset: 1, value: 'b1' })];
    fs.failNextAppendTo(join(dir, 'orders-1.jsonl'));
    const err = await rejection(task.put(batch, []));
    expect(err.code).toBe('SINK_FAILED');
    expect(err.retriable).toBe(true);
    expect(err.message).toMatch(/^writing batch: no space left on device/);

    await task.put(batch, []); // the runtime's retry
    await task.stop();
    expect(await readFile(join(dir, 'orders-0.jsonl'), 'utf8')).toBe('"a0"\n"a1"\n');
    expect(await readFile(join(dir, 'orders-1.jsonl'), 'utf8')).toBe('"b0"\n"b1"\n');
  });
});

/** The data files in `dir`, sorted; manifests (hidden, `.json`) are left out. */
async function dataFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort();
}

function quietLogger(): Logger {
  const noop = (): void => {};
  const logger: Logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  return logger;
}
