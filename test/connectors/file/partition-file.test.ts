import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PartitionFile } from '../../../connectors/file/partition-file.ts';
import { useTempDir } from './support.ts';

describe('file sink partition file', () => {
  let dir: string;
  useTempDir((path) => {
    dir = path;
  });

  it('finds the last newline when the partial line is longer than one read chunk', async () => {
    const path = join(dir, 't-0.jsonl');
    const whole = `${'a'.repeat(100_000)}\n`;
    await writeFile(path, whole + 'b'.repeat(200_000));
    const { file, dropped } = await PartitionFile.open(path, (p, f) => open(p, f), false);
    expect(dropped).toBe(200_000);
    expect(file.size).toBe(whole.length);
    await file.close();
    await file.close();
    expect(await readFile(path, 'utf8')).toBe(whole);
  });

  it('empties a file that holds no newline at all', async () => {
    const path = join(dir, 't-1.jsonl');
    await writeFile(path, 'partial');
    const { file, dropped } = await PartitionFile.open(path, (p, f) => open(p, f), true);
    expect(dropped).toBe(7);
    expect(file.size).toBe(0);
    await file.close();
  });
});
