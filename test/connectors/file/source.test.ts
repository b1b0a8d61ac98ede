import { appendFile, copyFile, open, rename, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PATH_HEADER, TRUNCATED_HEADER } from '../../../connectors/file/source-plugin.ts';
import { fingerprintOfBytes } from '../../../connectors/file/fingerprint.ts';
import { CommittedOffsets, SteppingClock, fileSourceTask, pollLines, pollUntil, sourceDir, values, warningLogger } from './source-support.ts';

const lines = (from: number, to: number, prefix = 'line'): string => Array.from({ length: to - from + 1 }, (_, i) => `${prefix} ${from + i}\n`).join('');
const numbered = (from: number, to: number, prefix = 'line'): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${prefix} ${from + i}`);

describe('file source', () => {
  let dir: Awaited<ReturnType<typeof sourceDir>>;
  beforeEach(async () => {
    dir = await sourceDir();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('reads every line of a file with its path header and an exact position', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, 'first\nsecond\r\nthird\n');
    const task = fileSourceTask({ include: [join(dir.path, '*.log')] });
    await task.start();
    const records = await pollLines(task, 3);
    await task.stop();
    expect(values(records)).toEqual(['first', 'second', 'third']);
    const fingerprint = fingerprintOfBytes(Buffer.from('first\n'), { maxBytes: 1024, lines: 1 })?.id;
    expect(records[0]?.sourcePartition).toEqual({ fingerprint });
    expect(records.map((r) => r.sourceOffset)).toEqual([
      { path: file, byteOffset: 6, line: 1 },
      { path: file, byteOffset: 14, line: 2 },
      { path: file, byteOffset: 20, line: 3 },
    ]);
    expect(records[0]?.headers).toEqual([{ key: PATH_HEADER, value: file }]);
    expect(records[0]?.key).toBeNull();
    expect(records[0]?.topic).toBe('');
  });

  it('holds an unfinished line until its newline arrives', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, 'one\ntw');
    const task = fileSourceTask({ include: [file] });
    await task.start();
    expect(values(await pollUntil(task, (r) => r.length >= 1, 20))).toEqual(['one']);
    expect(await pollUntil(task, (r) => r.length >= 1, 20)).toEqual([]);
    await appendFile(file, 'o\n');
    expect(values(await pollLines(task, 1))).toEqual(['two']);
    await task.stop();
  });

  it('waits for a new file to have a complete first line (its fingerprint) before reading it', async () => {
    const file = join(dir.path, 'new.log');
    const task = fileSourceTask({ include: [join(dir.path, '*.log')] });
    await task.start();
    await writeFile(file, 'partial');
    expect(await pollUntil(task, (r) => r.length > 0, 20)).toEqual([]);
    await appendFile(file, ' line\nnext\n');
    expect(values(await pollLines(task, 2))).toEqual(['partial line', 'next']);
    await task.stop();
  });

  it('picks up files created after start, from their beginning', async () => {
    const task = fileSourceTask({ include: [join(dir.path, '**/*.log')], readFrom: 'end' });
    await task.start();
    await writeFile(join(dir.path, 'a.log'), lines(1, 2, 'a'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir.path, 'sub', 'deeper'), { recursive: true });
    await writeFile(join(dir.path, 'sub', 'deeper', 'b.log'), lines(1, 2, 'b'));
    await writeFile(join(dir.path, 'c.txt'), 'not included\n');
    const got = values(await pollLines(task, 4)) as string[];
    await task.stop();
    expect(got.sort()).toEqual(['a 1', 'a 2', 'b 1', 'b 2']);
  });

  it('follows rename rotation: the old file is read to its end, the new one from its start, each line once', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, lines(1, 3));
    const task = fileSourceTask({ include: [join(dir.path, 'app.log*')] });
    await task.start();
    const first = await pollLines(task, 3);
    // The writer still holds the old inode after the rename and writes a last few lines to it.
    const writer = await open(file, 'a');
    await rename(file, `${file}.1`);
    await writer.write(lines(4, 5));
    await writer.close();
    await writeFile(file, lines(6, 8));
    const rest = await pollLines(task, 5);
    await task.stop();
    expect(values([...first, ...rest]).slice(0, 5)).toEqual(numbered(1, 5));
    expect(values(rest).slice(2)).toEqual(numbered(6, 8));
    // Lines 4-5 belong to the original file (same partition, line numbers going on). Its path in them
    // is the one known when they were read: the rename is only seen by the next scan.
    expect(rest[0]?.sourcePartition).toEqual(first[0]?.sourcePartition);
    expect(rest[1]?.sourceOffset).toMatchObject({ line: 5 });
    expect(rest[2]?.sourcePartition).not.toEqual(first[0]?.sourcePartition);
  });

  it('follows copytruncate rotation through the copy, each line once', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, lines(1, 4));
    const task = fileSourceTask({ include: [join(dir.path, 'app.log*')] });
    await task.start();
    const first = await pollLines(task, 2);
    // Lines appended after the task's last read are only in the copy once the original is cut.
    await appendFile(file, lines(5, 6));
    await copyFile(file, `${file}.1`);
    await truncate(file, 0);
    await appendFile(file, lines(7, 9, 'new'));
    const rest = await pollLines(task, 4 + 3 - (first.length - 2));
    await task.stop();
    const all = values([...first, ...rest]) as string[];
    expect(all.filter((l) => l.startsWith('line'))).toEqual(numbered(1, 6));
    expect(all.filter((l) => l.startsWith('new'))).toEqual(numbered(7, 9, 'new'));
  });

  it('follows copytruncate that happens while the file is closed for being idle', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, lines(1, 2));
    const task = fileSourceTask({ include: [join(dir.path, 'app.log*')], closeIdleMs: 100 }, { clock: new SteppingClock() });
    await task.start();
    expect(values(await pollLines(task, 2))).toEqual(numbered(1, 2));
    await pollUntil(task, () => false, 30);
    await appendFile(file, lines(3, 4));
    await copyFile(file, `${file}.1`);
    await truncate(file, 0);
    await appendFile(file, lines(1, 1, 'new'));
    expect((values(await pollLines(task, 3)) as string[]).sort()).toEqual(['line 3', 'line 4', 'new 1']);
    await task.stop();
  });

  it('does not take a file that only begins like a cut one for its copy', async () => {
    const a = join(dir.path, 'a.log');
    await writeFile(a, 'BANNER\na 1\n');
    const { logger, warnings } = warningLogger();
    const task = fileSourceTask({ include: [join(dir.path, '*.log')] }, { logger });
    await task.start();
    expect(values(await pollLines(task, 2))).toEqual(['BANNER', 'a 1']);
    await writeFile(join(dir.path, 'b.log'), 'BANNER\nb 1\nb 2\n');
    await pollUntil(task, () => false, 10);
    await writeFile(a, 'other\n');
    const after = values(await pollUntil(task, () => false, 40));
    await task.stop();
    expect(after).toEqual(['other']);
    expect(warnings.some((w) => w.includes('no file matching the include patterns holds its rest'))).toBe(true);
  });

  it('starts over when a file is truncated in place and rewritten with the same first line', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, 'header\nold 1\nold 2\n');
    const task = fileSourceTask({ include: [file] });
    await task.start();
    expect(values(await pollLines(task, 3))).toEqual(['header', 'old 1', 'old 2']);
    await writeFile(file, 'header\nnew\n');
    expect(values(await pollLines(task, 2))).toEqual(['header', 'new']);
    await task.stop();
  });

  it('resumes exactly at the committed position after a restart, even across a rotation while down', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, lines(1, 5));
    const committed = new CommittedOffsets();
    const first = fileSourceTask({ include: [join(dir.path, 'app.log*')] }, { committed });
    await first.start();
    const batch = await pollLines(first, 5);
    // Only the first three lines made it into a committed transaction.
    committed.commit(batch.slice(0, 3));
    await first.stop();
    await appendFile(file, lines(6, 7));
    await rename(file, `${file}.1`);
    await writeFile(file, lines(1, 2, 'next'));
    // readFrom: end applies only to a fresh start: with a committed position, the new file is read whole.
    const second = fileSourceTask({ include: [join(dir.path, 'app.log*')], readFrom: 'end' }, { committed });
    await second.start();
    const resumed = values(await pollLines(second, 6)) as string[];
    await second.stop();
    expect(resumed.filter((l) => l.startsWith('line'))).toEqual(numbered(4, 7));
    expect(resumed.filter((l) => l.startsWith('next'))).toEqual(numbered(1, 2, 'next'));
  });

  it('skips existing lines with readFrom: end on a fresh start, keeping a line being written', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, `${lines(1, 3)}half`);
    const task = fileSourceTask({ include: [file], readFrom: 'end' });
    await task.start();
    await appendFile(file, ' done\nline 5\n');
    expect(values(await pollLines(task, 2))).toEqual(['half done', 'line 5']);
    await task.stop();
  });

  it('cuts long lines at maxLineBytes and marks them', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, `short\n${'x'.repeat(100)}\nafter\n`);
    const task = fileSourceTask({ include: [file], maxLineBytes: 16 });
    await task.start();
    const records = await pollLines(task, 3);
    await task.stop();
    expect(values(records)).toEqual(['short', 'x'.repeat(16), 'after']);
    expect(records[1]?.headers).toContainEqual({ key: TRUNCATED_HEADER, value: 'true' });
    expect(records[2]?.headers.some((h) => h.key === TRUNCATED_HEADER)).toBe(false);
    expect(records[1]?.sourceOffset).toMatchObject({ byteOffset: 6 + 101, line: 2 });
  });

  it('cuts a long line that arrives over several reads, without holding the rest', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, 'y'.repeat(10));
    const task = fileSourceTask({ include: [file], maxLineBytes: 16, fingerprintBytes: 16 });
    await task.start();
    for (let i = 0; i < 5; i++) await appendFile(file, 'y'.repeat(10));
    await appendFile(file, '\nz\n');
    const records = await pollLines(task, 2);
    await task.stop();
    expect(values(records)).toEqual(['y'.repeat(16), 'z']);
  });

  it('decodes latin1', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const task = fileSourceTask({ include: [file], encoding: 'latin1' });
    await task.start();
    expect(values(await pollLines(task, 1))).toEqual(['café']);
    await task.stop();
  });

  it('writes objects with output: object and keys by fingerprint with key: file', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, 'a\nb\n');
    const task = fileSourceTask({ include: [file], output: 'object', key: 'file' });
    await task.start();
    const records = await pollLines(task, 2);
    await task.stop();
    expect(records[1]?.value).toEqual({ message: 'b', path: file, offset: 2, line: 2 });
    expect(records[1]?.key).toBe(records[1]?.sourcePartition.fingerprint);
  });

  describe('multiline', () => {
    const trace = 'ERROR boom\n  at a()\n  at b()\nINFO ok\n  at c()\n';

    it.each([
      ['startPattern', { startPattern: '^[A-Z]+ ' }],
      ['continuationPattern', { continuationPattern: '^\\s+at ' }],
    ])('joins lines with %s, emitting the last event after the timeout', async (_name, patterns) => {
      const file = join(dir.path, 'app.log');
      await writeFile(file, trace);
      const clock = new SteppingClock();
      const task = fileSourceTask({ include: [file], multiline: { ...patterns, timeoutMs: 500, maxLines: 100 } }, { clock });
      await task.start();
      const first = await pollLines(task, 1);
      expect(values(first)).toEqual(['ERROR boom\n  at a()\n  at b()']);
      expect(first[0]?.sourceOffset).toMatchObject({ byteOffset: 'ERROR boom\n  at a()\n  at b()\n'.length, line: 3 });
      const start = clock.now();
      const second = await pollLines(task, 1);
      expect(values(second)).toEqual(['INFO ok\n  at c()']);
      expect(clock.now() - start).toBeGreaterThanOrEqual(500);
      expect(second[0]?.sourceOffset).toMatchObject({ byteOffset: trace.length, line: 5 });
      await task.stop();
    });

    it('starts a new event at maxLines', async () => {
      const file = join(dir.path, 'app.log');
      await writeFile(file, 'E\n a\n b\n c\nE\n');
      const task = fileSourceTask({ include: [file], multiline: { startPattern: '^E', timeoutMs: 100, maxLines: 2 } });
      await task.start();
      expect(values(await pollLines(task, 3))).toEqual(['E\n a', ' b\n c', 'E']);
      await task.stop();
    });
  });

  it('keeps one poll within maxPollBytes, counting each line with its record overhead', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, lines(1, 1000));
    const task = fileSourceTask({ include: [file], maxPollBytes: 4096 });
    await task.start();
    const signal = new AbortController().signal;
    const sizes: number[] = [];
    let total = 0;
    while (total < 1000) {
      const batch = await task.poll(signal);
      if (batch.length > 0) sizes.push(batch.length);
      total += batch.length;
    }
    await task.stop();
    // Each record costs its ~8-byte line plus ~150 bytes of header, key and framing: ~26 per poll.
    expect(Math.max(...sizes)).toBeLessThan(40);
    expect(sizes.length).toBeGreaterThan(25);
  });

  it('warns, once, about a second file whose first line is the same, and reads both with more fingerprint lines', async () => {
    await writeFile(join(dir.path, 'a.log'), 'BANNER v1\na 1\n');
    await writeFile(join(dir.path, 'b.log'), 'BANNER v1\nb 1\n');
    const { logger, warnings } = warningLogger();
    const task = fileSourceTask({ include: [join(dir.path, '*.log')] }, { logger });
    await task.start();
    expect(values(await pollUntil(task, () => false, 40))).toEqual(['BANNER v1', 'a 1']);
    await task.stop();
    expect(warnings.filter((w) => w.includes('raise fingerprintLines'))).toHaveLength(1);

    const both = fileSourceTask({ include: [join(dir.path, '*.log')], fingerprintLines: 2 });
    await both.start();
    expect((values(await pollLines(both, 4)) as string[]).sort()).toEqual(['BANNER v1', 'BANNER v1', 'a 1', 'b 1']);
    await both.stop();
  });

  it('leaves excluded files alone', async () => {
    await writeFile(join(dir.path, 'app.log'), 'keep\n');
    await writeFile(join(dir.path, 'app.log.1.gz'), 'compressed\n');
    const task = fileSourceTask({ include: [join(dir.path, 'app.log*')], exclude: ['*.gz'] });
    await task.start();
    const got = values(await pollUntil(task, (r) => r.length >= 2, 30));
    await task.stop();
    expect(got).toEqual(['keep']);
  });

  it('closes idle files and reopens them when they grow', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, 'a\n');
    const clock = new SteppingClock();
    const task = fileSourceTask({ include: [file], closeIdleMs: 200 }, { clock });
    await task.start();
    expect(values(await pollLines(task, 1))).toEqual(['a']);
    // Idle long enough to close, then grow.
    await pollUntil(task, () => false, 50);
    await appendFile(file, 'b\n');
    expect(values(await pollLines(task, 1))).toEqual(['b']);
    await task.stop();
  });

  it('keeps reading a file deleted while open, to its end', async () => {
    const file = join(dir.path, 'app.log');
    await writeFile(file, 'a\n');
    const task = fileSourceTask({ include: [file] });
    await task.start();
    const writer = await open(file, 'a');
    await unlink(file);
    await writer.write('b\n');
    await writer.close();
    expect(values(await pollLines(task, 2))).toEqual(['a', 'b']);
    await task.stop();
  });
});
