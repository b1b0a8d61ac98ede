import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCoordinatorStore } from '../../../src/broker/group/file-coordinator-store.ts';
import { BlockProducerIdAllocator } from '../../../src/broker/txn/producer-id-allocator.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('BlockProducerIdAllocator', () => {
  it.each([{ blockSize: 1 }, { blockSize: 3 }, { blockSize: 1000 }])('never repeats an id across reopen (blockSize $blockSize)', async ({ blockSize }) => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-pid-'));
    dirs.push(dir);
    const path = join(dir, 'producer-ids.log');
    const seen = new Set<bigint>();
    for (let run = 0; run < 4; run++) {
      const store = await FileCoordinatorStore.open(path);
      const allocator = await BlockProducerIdAllocator.load(store, { blockSize });
      // Concurrent callers within one run, sequential ones across runs (each run is a restart).
      const ids = await Promise.all(Array.from({ length: 7 }, () => allocator.next()));
      for (const id of ids) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
      await store.close();
    }
    expect(seen.size).toBe(28);
  });

  it('keeps its high-water mark through compaction', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-pid-'));
    dirs.push(dir);
    const path = join(dir, 'producer-ids.log');
    const store = await FileCoordinatorStore.open(path);
    const allocator = await BlockProducerIdAllocator.load(store, { blockSize: 1 });
    let last = -1n;
    for (let i = 0; i < 150; i++) last = await allocator.next();
    await store.close();
    const reopened = await FileCoordinatorStore.open(path);
    expect((await reopened.load()).length).toBeLessThan(60);
    const next = await (await BlockProducerIdAllocator.load(reopened, { blockSize: 1 })).next();
    expect(next).toBeGreaterThan(last);
    await reopened.close();
  });
});
