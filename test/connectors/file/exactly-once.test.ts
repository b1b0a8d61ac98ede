import { appendFile, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSink, manifestName, readManifest } from '../../../connectors/file/index.ts';
import type { SinkRecord } from '../../../src/sdk/index.ts';
import { rejection } from '../../support/rejection.ts';
import { sinkRecord } from '../support/sink-records.ts';
import { ObservedFs, fileSinkTask, useTempDir } from './support.ts';

const ORDERS_0 = { topic: 'orders', partition: 0 };

/** Records `from`..`to` (inclusive) of orders[0], each value its offset. */
function range(from: number, to: number, topic = 'orders', partition = 0): SinkRecord[] {
  const out: SinkRecord[] = [];
  for (let o = from; o <= to; o++) out.push(sinkRecord({ topic, partition, offset: o, value: o }));
  return out;
}

const at = (offset: number, tp = ORDERS_0): Array<typeof ORDERS_0 & { offset: string }> => [{ ...tp, offset: String(offset) }];

describe('file sink, exactly once', () => {
  let dir: string;
  let data: string;
  useTempDir((path) => {
    dir = path;
    data = join(path, 'orders-0.jsonl');
  });

  const values = async (path = data): Promise<unknown[]> =>
    (await readFile(path, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown);

  it('declares transactional delivery', () => {
    expect(fileSink.spec.delivery).toBe('transactional');
  });

  it('stores the position with the lines and returns it from open()', async () => {
    const first = fileSinkTask({ directory: dir, format: 'value' });
    await first.start();
    expect(await first.open([ORDERS_0])).toEqual([]);
    await first.put(range(0, 2), at(3));
    await first.stop();

    expect(await readManifest(dir, ORDERS_0)).toEqual({
      version: 1,
      group: 'tributary-test-pipeline-files',
      topic: 'orders',
      partition: 0,
      nextOffset: '3',
      files: { 'orders-0.jsonl': '0\n1\n2\n'.length },
    });
    const second = fileSinkTask({ directory: dir, format: 'value' });
    await second.start();
    expect(await second.open([ORDERS_0, { topic: 'orders', partition: 1 }])).toEqual(at(3));
    await second.stop();
  });

  it('cuts lines written after the last commit when the partition is opened again', async () => {
    const first = fileSinkTask({ directory: dir, format: 'value' });
    await first.start();
    await first.open([ORDERS_0]);
    await first.put(range(0, 2), at(3));
    await first.stop();
    // What a SIGKILL between appending a batch and renaming its manifest leaves: whole lines and a
    // partial one past the committed length, and a temp manifest that was never renamed.
    await appendFile(data, '3\n4\n5');
    await writeFile(join(dir, `${manifestName(ORDERS_0)}.tmp`), '{"version":1,"nextO');

    const second = fileSinkTask({ directory: dir, format: 'value' });
    await second.start();
    expect(await second.open([ORDERS_0])).toEqual(at(3));
    expect(await values()).toEqual([0, 1, 2]);
    expect((await readdir(dir)).sort()).toEqual([manifestName(ORDERS_0), 'orders-0.jsonl']);
    await second.put(range(3, 4), at(5));
    await second.stop();
    expect(await values()).toEqual([0, 1, 2, 3, 4]);
  });

  it('lists a new file in a durable manifest before appending to it, so an uncommitted first batch is cut', async () => {
    await writeFile(data, '"from an earlier at-least-once run"\n');
    const fs = new ObservedFs();
    const task = fileSinkTask({ directory: dir, format: 'value' }, { fs });
    await task.start();
    expect(await task.open([ORDERS_0])).toEqual([]);
    // The first manifest write (listing the file at its old length) succeeds; the commit after the
    // append fails, so the batch is on disk but not committed.
    fs.failNextOpenOf(join(dir, `${manifestName(ORDERS_0)}.tmp`), 1);
    const err = await rejection(task.put(range(0, 1), at(2)));
    expect(err.code).toBe('SINK_FAILED');
    expect(err.retriable).toBe(true);
    expect(await values()).toEqual(['from an earlier at-least-once run', 0, 1]);
    // The process dies here, before the runtime's retry. The restart cuts the file to its listed length.
    const restarted = fileSinkTask({ directory: dir, format: 'value' });
    await restarted.start();
    expect(await restarted.open([ORDERS_0])).toEqual([]);
    expect(await values()).toEqual(['from an earlier at-least-once run']);
    await restarted.stop();
    await task.stop();
  });

  it('retries a batch whose commit failed without duplicating its lines', async () => {
    const fs = new ObservedFs();
    const task = fileSinkTask({ directory: dir, format: 'value' }, { fs });
    await task.start();
    await task.open([ORDERS_0]);
    await task.put(range(0, 1), at(2));
    fs.failNextOpenOf(join(dir, `${manifestName(ORDERS_0)}.tmp`));
    const err = await rejection(task.put(range(2, 3), at(4)));
    expect(err.code).toBe('SINK_FAILED');
    expect(err.retriable).toBe(true);
    await task.put(range(2, 3), at(4)); // the runtime's retry
    await task.stop();
    expect(await values()).toEqual([0, 1, 2, 3]);
    expect((await readManifest(dir, ORDERS_0))?.nextOffset).toBe('4');
  });

  it('skips records the partition already committed, so a redelivery writes nothing twice', async () => {
    const task = fileSinkTask({ directory: dir, format: 'value' });
    await task.start();
    await task.open([ORDERS_0]);
    await task.put(range(0, 4), at(5));
    // An at-least-once pipeline seeks to Kafka's committed offset, which may lag the manifest.
    await task.put(range(3, 6), at(7));
    await task.put(range(1, 2), at(3));
    await task.stop();
    expect(await values()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect((await readManifest(dir, ORDERS_0))?.nextOffset).toBe('7');
  });

  it('advances the position of a batch whose records all went elsewhere (dead letters, filters)', async () => {
    const task = fileSinkTask({ directory: dir, format: 'value' });
    await task.start();
    await task.open([ORDERS_0]);
    await task.put(range(0, 0), at(1));
    await task.put([], at(9));
    expect(await task.open([ORDERS_0])).toEqual(at(9));
    await task.stop();
    expect(await values()).toEqual([0]);
  });

  it('fsyncs the lines before the manifest that commits them, and the directory after its rename', async () => {
    const fs = new ObservedFs();
    const task = fileSinkTask({ directory: dir, format: 'value' }, { fs });
    await task.start();
    await task.open([ORDERS_0]);
    await task.put(range(0, 0), at(1));
    fs.events.length = 0;
    await task.put(range(1, 1), at(2));
    await task.stop();
    const temp = join(dir, `${manifestName(ORDERS_0)}.tmp`);
    expect(fs.events).toEqual([`append ${data}`, `sync ${data}`, `sync ${temp}`, `sync ${dir}`]);
  });

  it('lists files that sink-side transforms renamed in the manifest of the input partition, and cuts them too', async () => {
    const task = fileSinkTask({ directory: dir, format: 'value' });
    await task.start();
    await task.open([ORDERS_0]);
    await task.put(range(0, 1, 'archive.orders'), at(2));
    await task.stop();
    const renamed = join(dir, 'archive.orders-0.jsonl');
    expect((await readManifest(dir, ORDERS_0))?.files).toEqual({ 'archive.orders-0.jsonl': 4 });
    await appendFile(renamed, '2\n');

    const again = fileSinkTask({ directory: dir, format: 'value' });
    await again.start();
    expect(await again.open([ORDERS_0])).toEqual(at(2));
    await again.stop();
    expect(await values(renamed)).toEqual([0, 1]);
  });

  it('refuses to write two input partitions into one file', async () => {
    const task = fileSinkTask({ directory: dir, format: 'value' });
    await task.start();
    await task.open([ORDERS_0, { topic: 'orders', partition: 1 }]);
    await task.put(range(0, 0, 'merged'), at(1));
    const err = await rejection(task.put(range(0, 0, 'merged'), at(1, { topic: 'orders', partition: 1 })));
    await task.stop();
    expect(err.code).toBe('SINK_FAILED');
    expect(err.retriable).toBe(false);
    expect(err.message).toMatch(/merged-0\.jsonl: it already holds records of orders\[0\], and now gets records of orders\[1\]/);
  });

  it('refuses a directory whose manifests belong to another consumer group', async () => {
    const first = fileSinkTask({ directory: dir }, { group: 'group-a' });
    await first.start();
    await first.put(range(0, 0), at(1));
    await first.stop();
    const other = fileSinkTask({ directory: dir }, { group: 'group-b' });
    await other.start();
    const err = await rejection(other.open([ORDERS_0]));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/holds the positions of consumer group "group-a", not "group-b"/);
  });

  it('fails loudly when a file is shorter than its manifest says (committed lines are gone)', async () => {
    const first = fileSinkTask({ directory: dir, format: 'value' });
    await first.start();
    await first.put(range(0, 2), at(3));
    await first.stop();
    await truncate(data, 2);
    const second = fileSinkTask({ directory: dir, format: 'value' });
    await second.start();
    const err = await rejection(second.open([ORDERS_0]));
    expect(err.code).toBe('SINK_FAILED');
    expect(err.retriable).toBe(false);
    expect(err.message).toMatch(/holds 2 bytes but 6 were committed/);
  });

  it('rejects a manifest that is not one', async () => {
    await writeFile(join(dir, manifestName(ORDERS_0)), '{"version":2}');
    const task = fileSinkTask({ directory: dir });
    await task.start();
    const err = await rejection(task.open([ORDERS_0]));
    expect(err.code).toBe('SINK_FAILED');
    expect(err.message).toMatch(/is not a version 1 file sink manifest/);
  });
});
