import { appendFile, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog, type LogConfig } from '../../../src/broker/log/partition-log.ts';
import { buildRecordBatch, decodeRecords, splitBatches } from '../../../src/broker/log/record-batch.ts';
import { manualClock, recordingLogger, tempDir, testConfig, type RecordingLogger } from './support.ts';

let dir: { path: string; cleanup(): Promise<void> };
let logger: RecordingLogger;
const clock = manualClock();
const open: PartitionLog[] = [];

beforeEach(async () => {
  dir = await tempDir();
  logger = recordingLogger();
});
afterEach(async () => {
  for (const l of open.splice(0)) await l.abandon();
  await dir.cleanup();
});

async function openLog(config: Partial<LogConfig> = {}): Promise<PartitionLog> {
  const log = await PartitionLog.open(dir.path, testConfig(config), { clock, logger });
  open.push(log);
  return log;
}

function batch(i: number): Buffer {
  return buildRecordBatch([{ key: Buffer.from(`k${i}`), value: Buffer.from(`value-${i}`.padEnd(40, '.')), timestamp: 1000n + BigInt(i) }]);
}

async function values(log: PartitionLog): Promise<string[]> {
  const r = await log.read(log.logStartOffset, 1 << 30, 'read_uncommitted');
  return splitBatches(r.records).flatMap((b) => decodeRecords(b).map((x) => x.value?.toString().replace(/\.+$/, '') ?? ''));
}

async function segmentFiles(): Promise<string[]> {
  return (await readdir(dir.path)).filter((n) => n.endsWith('.log')).sort();
}

function warnings(): string[] {
  return logger.lines.filter((l) => l.level === 'warn').map((l) => l.msg ?? '');
}

/** Leaves the log as a crash would: no clean-shutdown marker, no final index or snapshot. */
async function crash(log: PartitionLog): Promise<void> {
  await log.abandon();
}

describe('crash recovery', () => {
  it('truncates a batch torn in the middle and serves the rest', async () => {
    const log = await openLog();
    for (let i = 0; i < 10; i++) await log.append([batch(i)]);
    await crash(log);
    const file = join(dir.path, '00000000000000000000.log');
    const size = (await stat(file)).size;
    const batchSize = batch(0).length;
    await truncate(file, size - Math.floor(batchSize / 2));

    const again = await openLog();
    expect(again.logEndOffset).toBe(9n);
    expect(await values(again)).toEqual(Array.from({ length: 9 }, (_, i) => `value-${i}`));
    expect(warnings()).toContain('recovering log: truncating a torn or corrupt tail');
    expect((await stat(file)).size).toBe(size - batchSize);
    const r = await again.append([batch(99)]);
    expect(r.baseOffset).toBe(9n);
    expect((await values(again)).at(-1)).toBe('value-99');
  });

  it('truncates random garbage appended after the last batch (unclean stop)', async () => {
    const log = await openLog();
    for (let i = 0; i < 5; i++) await log.append([batch(i)]);
    await crash(log);
    const file = join(dir.path, '00000000000000000000.log');
    const size = (await stat(file)).size;
    const garbage = Buffer.alloc(333);
    let seed = 12345;
    for (let i = 0; i < garbage.length; i++) garbage[i] = (seed = (seed * 1103515245 + 12345) >>> 0) & 0xff;
    await appendFile(file, garbage);

    const again = await openLog();
    expect(again.logEndOffset).toBe(5n);
    expect(await values(again)).toHaveLength(5);
    expect((await stat(file)).size).toBe(size);
  });

  it('truncates garbage appended after a clean close too (indexes are checked, not trusted blindly)', async () => {
    const log = await openLog();
    for (let i = 0; i < 5; i++) await log.append([batch(i)]);
    await log.close();
    open.splice(0);
    const file = join(dir.path, '00000000000000000000.log');
    await appendFile(file, Buffer.from('this is not a record batch, just a sentence that got here'));
    const again = await openLog();
    expect(again.logEndOffset).toBe(5n);
    expect(await values(again)).toHaveLength(5);
  });

  it('cuts at the first batch that fails its CRC', async () => {
    const log = await openLog();
    for (let i = 0; i < 6; i++) await log.append([batch(i)]);
    await crash(log);
    const file = join(dir.path, '00000000000000000000.log');
    const bytes = await readFile(file);
    const batchSize = batch(0).length;
    const victim = 3 * batchSize + batchSize - 5;
    bytes[victim] = (bytes[victim] as number) ^ 0x40;
    await writeFile(file, bytes);
    const again = await openLog();
    expect(again.logEndOffset).toBe(3n);
    expect(await values(again)).toEqual(['value-0', 'value-1', 'value-2']);
  });

  it('drops segments after one that had to be truncated', async () => {
    const log = await openLog({ segmentBytes: 300 });
    for (let i = 0; i < 20; i++) await log.append([batch(i)]);
    await crash(log);
    const files = await segmentFiles();
    expect(files.length).toBeGreaterThan(3);
    const second = join(dir.path, files[1] as string);
    await truncate(second, (await stat(second)).size - 10);
    const again = await openLog({ segmentBytes: 300 });
    expect(await segmentFiles()).toEqual(files.slice(0, 2));
    const vs = await values(again);
    expect(vs).toEqual(Array.from({ length: vs.length }, (_, i) => `value-${i}`));
    expect(again.logEndOffset).toBe(BigInt(vs.length));
    expect(warnings()).toContain('recovering log: deleting segments after a truncated one');
  });

  it('rebuilds missing or garbled index files', async () => {
    const log = await openLog({ segmentBytes: 400, indexIntervalBytes: 64 });
    for (let i = 0; i < 30; i++) await log.append([batch(i)]);
    await log.close();
    open.splice(0);
    const names = await readdir(dir.path);
    const indexes = names.filter((n) => n.endsWith('.index')).sort();
    await writeFile(join(dir.path, indexes[0] as string), Buffer.from('garbage!!'));
    await writeFile(join(dir.path, indexes[1] as string), Buffer.alloc(0));
    const again = await openLog({ segmentBytes: 400, indexIntervalBytes: 64 });
    expect(again.logEndOffset).toBe(30n);
    for (const from of [0n, 5n, 11n, 29n]) {
      const r = await again.read(from, 1, 'read_uncommitted');
      expect(splitBatches(r.records).flatMap((b) => decodeRecords(b).map((x) => x.offset))).toEqual([from]);
    }
  });

  it('completes an interrupted compaction swap and discards an unfinished one', async () => {
    const log = await openLog({ segmentBytes: 300 });
    for (let i = 0; i < 12; i++) await log.append([batch(i)]);
    await crash(log);
    const files = await segmentFiles();
    const first = files[0] as string;
    const base = first.slice(0, 20);
    // A finished rewrite keeping only the first batch of segment 0, not yet renamed into place.
    await writeFile(join(dir.path, `${base}.log.swap`), batch(0));
    // An unfinished one for segment 1.
    await writeFile(join(dir.path, `${(files[1] as string).slice(0, 20)}.log.cleaned`), Buffer.from('partial'));
    const again = await openLog({ segmentBytes: 300 });
    const names = await readdir(dir.path);
    expect(names.some((n) => n.endsWith('.swap') || n.endsWith('.cleaned'))).toBe(false);
    const vs = await values(again);
    expect(vs[0]).toBe('value-0');
    expect(vs).not.toContain('value-1');
    expect(vs.at(-1)).toBe('value-11');
  });
});
