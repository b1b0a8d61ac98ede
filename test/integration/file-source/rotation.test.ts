import { closeSync, copyFileSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../../harness/names.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';
import { startCli, type CliProcess } from '../../support/cli-process.ts';
import { waitFor } from '../../support/wait-for.ts';
import { TopicReader, type TopicRecord } from './support.ts';

/** Lines written per run: ~20k by default so CI stays quick; TRIBUTARY_ROTATION_LINES=100000 for the full check. */
const LINES = Number(process.env.TRIBUTARY_ROTATION_LINES ?? 20_000);
const ROTATIONS = 6;
/** Lines per write(2): the writer appends as fast as the file system takes it, yielding between writes. */
const LINES_PER_WRITE = 200;
const PAD = 'x'.repeat(80);

type Mode = 'rename' | 'copytruncate';

/**
 * An application log: numbered lines appended with O_APPEND, rotated like logrotate does.
 * - rename: the file is renamed to `app.log.<n>`; the writer keeps writing a few lines to the old
 *   inode (as an application does until it reopens its log), then opens a new `app.log`.
 * - copytruncate: the file is copied to `app.log.<n>` and truncated in place; the writer's O_APPEND
 *   descriptor goes on writing at the new end. Copy and truncate happen between two writes, as they
 *   must for copytruncate not to lose lines by itself.
 */
class RotatingLog {
  private fd: number;
  private rotations = 0;
  next = 0;

  constructor(
    private readonly path: string,
    private readonly mode: Mode,
  ) {
    this.fd = openSync(path, 'a');
  }

  private writeLines(count: number): void {
    let text = '';
    for (let i = 0; i < count; i++) text += `${String(this.next++).padStart(7, '0')} ${PAD}\n`;
    writeSync(this.fd, text);
  }

  /** Appends lines up to (not including) `until`, rotating at each multiple of `every`. */
  async writeUntil(until: number, every: number): Promise<void> {
    while (this.next < until) {
      const toRotation = every - (this.next % every);
      const n = Math.min(LINES_PER_WRITE, until - this.next, toRotation);
      this.writeLines(n);
      if (this.next % every === 0 && this.next < LINES) this.rotate();
      await yieldToLoop();
    }
  }

  private rotate(): void {
    const rotated = `${this.path}.${++this.rotations}`;
    if (this.mode === 'copytruncate') {
      copyFileSync(this.path, rotated);
      ftruncateSync(this.fd, 0);
      return;
    }
    renameSync(this.path, rotated);
    this.writeLines(25);
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
  }

  close(): void {
    closeSync(this.fd);
  }
}

describe.each<Mode>(['rename', 'copytruncate'])('file source under %s rotation, with a SIGKILL and restart', (mode) => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const procs: CliProcess[] = [];
  beforeAll(async () => {
    dir = await tempDir(`tributary-rotation-${mode}`);
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await dir.cleanup();
  });

  it(`delivers each of ${LINES} lines exactly once, in order per file`, { timeout: 600_000 }, async () => {
    const name = uniqueName(`rotation-${mode}`);
    const topic = `${name}.lines`;
    const log = join(dir.path, 'app.log');
    const file = await writePipeline(
      dir.path,
      name,
      `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: file
  config: { include: ["${dir.path}/app.log*"], key: file, scanIntervalMs: 200, pollIntervalMs: 20 }
topic: { name: ${topic}, partitions: 3 }
serializer: { format: string }
keySerializer: { format: string }
`,
    );
    const reader = TopicReader.create(brokers, topic, `${name}-check`);
    await reader.start(3);
    const writer = new RotatingLog(log, mode);
    const every = Math.ceil(LINES / (ROTATIONS + 1));
    const explain = (): string => procs.map((p, i) => `--- pipeline process ${i}\n${p.tail()}`).join('\n');
    // A pipeline that dies on its own fails the test at once instead of at the next timeout.
    let current: CliProcess | undefined;
    let killed = false;
    const running = (p: CliProcess): CliProcess => {
      current = p;
      void p.exited.then(({ signal }) => {
        if (current === p && !killed && signal !== 'SIGTERM') unexpected = `pipeline exited unexpectedly\n${explain()}`;
      });
      return p;
    };
    let unexpected: string | undefined;
    const count = (n: number) => (): boolean => {
      if (unexpected !== undefined) throw new Error(unexpected);
      return reader.records.length >= n;
    };
    try {
      let pipeline = running(startCli(['run', file]));
      procs.push(pipeline);
      // Phase 1: write 40% while the pipeline tails and rotations happen under it.
      await writer.writeUntil(Math.floor(LINES * 0.4), every);
      await waitFor('a fifth of the lines in the topic', count(LINES * 0.2), 120_000, explain);
      killed = true;
      pipeline.child.kill('SIGKILL');
      expect((await pipeline.exited).signal).toBe('SIGKILL');
      killed = false;
      // Phase 2: the pipeline is down; lines and at least one rotation happen without it.
      await writer.writeUntil(Math.floor(LINES * 0.7), every);
      pipeline = running(startCli(['run', file]));
      procs.push(pipeline);
      // Phase 3: the rest, at full speed, while the restarted pipeline catches up.
      await writer.writeUntil(LINES, every);
      writer.close();
      await waitFor(`all ${LINES} lines in the topic`, count(LINES), 300_000, explain);
      pipeline.child.kill('SIGTERM');
      expect((await pipeline.exited).code, explain()).toBe(0);
      await reader.drain(60_000);
    } finally {
      await reader.stop();
    }

    const seqs = reader.records.map((r) => Number(r.value?.slice(0, 7)));
    const seen = new Map<number, number>();
    for (const s of seqs) seen.set(s, (seen.get(s) ?? 0) + 1);
    const duplicates = [...seen].filter(([, n]) => n > 1).map(([s]) => s);
    const missing = Array.from({ length: LINES }, (_, i) => i).filter((i) => !seen.has(i));
    expect({ duplicates: duplicates.slice(0, 20), missing: missing.slice(0, 20), total: reader.records.length }).toEqual({ duplicates: [], missing: [], total: LINES });
    // Every record names its file; within one file (one key, so one partition) lines keep their order.
    const byFile = new Map<string, TopicRecord[]>();
    for (const r of reader.records) {
      expect(r.headers['tributary.file.path']).toMatch(/app\.log(\.\d+)?$/);
      const list = byFile.get(r.key ?? '') ?? [];
      list.push(r);
      byFile.set(r.key ?? '', list);
    }
    expect(byFile.size).toBeGreaterThanOrEqual(ROTATIONS + 1);
    for (const [key, list] of byFile) {
      expect(new Set(list.map((r) => r.partition)).size, key).toBe(1);
      const inOrder = [...list].sort((a, b) => (a.offset < b.offset ? -1 : 1)).map((r) => Number(r.value?.slice(0, 7)));
      for (let i = 1; i < inOrder.length; i++) expect(inOrder[i], `file ${key} line ${i}`).toBeGreaterThan(inOrder[i - 1] as number);
    }
  });
});
