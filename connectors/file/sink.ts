import { Buffer } from 'node:buffer';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  TributaryError,
  errorMessage,
  type PartitionOffset,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
  type TopicPartition,
} from '../../src/sdk/index.ts';
import { resolveFileSinkConfig, type FileSinkConfig } from './config.ts';
import { recordLine } from '../../src/sdk/index.ts';
import { readManifest, removeTempManifest, writeManifest, type Manifest } from './manifest.ts';
import { PartitionFile, ShortFileError, type OpenFile } from './partition-file.ts';

export interface FileSinkOptions {
  /** How files (and the directory, for its fsync) are opened. Default: node:fs/promises `open`. */
  openFile?: OpenFile;
}

// Kafka's own rule for topic names; it also guarantees the name is a safe single path segment.
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

// Errors that retrying the same write cannot fix.
const PERMANENT_FS_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'ENAMETOOLONG']);

/** What the task knows about one input topic-partition it writes for. */
interface PartitionState {
  tp: TopicPartition;
  /** The last manifest made durable (or the empty one, when the partition never committed). */
  manifest: Manifest;
  /** Bytes may lie beyond the manifest's lengths (a failed batch): cut them before the next append. */
  dirty: boolean;
}

/** The part of one put() that belongs to one input partition. */
interface OwnerBatch {
  state: PartitionState;
  /** Encoded lines per output file name, in record order. */
  lines: Map<string, { tp: TopicPartition; lines: string[] }>;
  /** Position to commit: the runtime's, else one past the last record. */
  nextOffset: bigint | undefined;
}

/**
 * Writes records as JSON lines to `<directory>/<topic>-<partition>.jsonl`, exactly once.
 *
 * Each input topic-partition has a manifest (see manifest.ts) holding the committed length of its
 * files and the next offset to read. A put appends and fsyncs its lines, then atomically replaces
 * the manifest (temp + fsync + rename + directory fsync). `open()` cuts every file back to its
 * manifest length and returns the manifest's offset, so the runtime resumes exactly after the last
 * commit: a crash at any point neither loses nor repeats a line.
 *
 * Invariants:
 * - No byte is appended to a file before a durable manifest lists that file (with its length before
 *   the append), so every uncommitted byte can be found and cut.
 * - A record whose offset is below its partition's committed `nextOffset` is never written again:
 *   redelivery (at-least-once pipelines seek to Kafka's committed offsets, which lag the manifest)
 *   cannot duplicate lines.
 * - One writer per input partition and per file: Kafka gives each partition to one group member,
 *   and `close` runs before another member opens it. Files are not locked.
 */
export class FileSinkTask implements SinkTask {
  private readonly ctx: SinkTaskContext<FileSinkConfig>;
  private readonly config: FileSinkConfig;
  private readonly openFile: OpenFile;
  /** Open output files by file name, with the input partition whose manifest lists them. */
  private readonly files = new Map<string, { tp: TopicPartition; owner: string; file: PartitionFile }>();
  /** Input partitions by `partitionKey`. */
  private readonly partitions = new Map<string, PartitionState>();
  private stopped = false;

  constructor(ctx: SinkTaskContext<FileSinkConfig>, options: FileSinkOptions = {}) {
    this.ctx = ctx;
    this.config = resolveFileSinkConfig(ctx.config);
    this.openFile = options.openFile ?? ((path, flags) => open(path, flags));
  }

  async start(): Promise<void> {
    try {
      await mkdir(this.config.directory, { recursive: true });
    } catch (err) {
      throw fsError(`creating directory ${this.config.directory}`, err);
    }
  }

  /**
   * Restores each partition to its manifest (cutting what was written after the last commit),
   * opens (creates) its file, and returns the committed positions for the runtime to seek to.
   */
  async open(partitions: TopicPartition[]): Promise<PartitionOffset[]> {
    this.assertRunning();
    const positions: PartitionOffset[] = [];
    for (const tp of partitions) {
      const state = await this.partitionFor(tp);
      await this.fileFor(fileName(tp), tp, partitionKey(tp));
      if (state.manifest.nextOffset !== null) positions.push({ topic: tp.topic, partition: tp.partition, offset: state.manifest.nextOffset });
    }
    return positions;
  }

  async put(records: SinkRecord[], position: PartitionOffset[]): Promise<void> {
    this.assertRunning();
    const owners = await this.group(records, position);

    const touched: Array<{ owner: OwnerBatch; file: PartitionFile; before: number; data: Buffer }> = [];
    const precommits: Array<{ state: PartitionState; manifest: Manifest }> = [];
    for (const owner of owners.values()) {
      if (owner.state.dirty) await this.restore(owner.state);
      const unlisted: Record<string, number> = {};
      for (const [name, { tp, lines }] of owner.lines) {
        const file = await this.fileFor(name, tp, partitionKey(owner.state.tp));
        if (owner.state.manifest.files[name] === undefined) unlisted[name] = file.size;
        touched.push({ owner, file, before: file.size, data: Buffer.from(`${lines.join('\n')}\n`, 'utf8') });
      }
      if (Object.keys(unlisted).length > 0) {
        precommits.push({ state: owner.state, manifest: { ...owner.state.manifest, files: { ...owner.state.manifest.files, ...unlisted } } });
      }
    }
    // Invariant: a file is listed (at its pre-batch length) in a durable manifest before any append.
    if (precommits.length > 0) await this.commitManifests(precommits);

    // Partitions are independent files, so their writes and fsyncs overlap.
    const results = await Promise.allSettled(touched.map((t) => t.file.append(t.data)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      for (const t of touched) t.owner.state.dirty = true;
      await this.rollback(touched);
      throw fsError('writing batch', failed.reason);
    }

    const commits: Array<{ state: PartitionState; manifest: Manifest }> = [];
    for (const owner of owners.values()) {
      const files = { ...owner.state.manifest.files };
      for (const name of owner.lines.keys()) {
        const entry = this.files.get(name);
        if (entry !== undefined) files[name] = entry.file.size;
      }
      const nextOffset = owner.nextOffset === undefined ? owner.state.manifest.nextOffset : owner.nextOffset.toString();
      commits.push({ state: owner.state, manifest: { ...owner.state.manifest, nextOffset, files } });
    }
    await this.commitManifests(commits);
  }

  async close(partitions: TopicPartition[]): Promise<void> {
    for (const tp of partitions) {
      const key = partitionKey(tp);
      this.partitions.delete(key);
      for (const [name, entry] of [...this.files]) {
        if (entry.owner !== key) continue;
        this.files.delete(name);
        await entry.file.close();
      }
    }
  }

  /** Closes every file; safe twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    const entries = [...this.files.values()];
    this.files.clear();
    this.partitions.clear();
    const results = await Promise.allSettled(entries.map((e) => e.file.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw fsError('closing files', failed.reason);
  }

  /** The topic-partitions with an open file, for diagnostics and tests. */
  openPartitions(): TopicPartition[] {
    return [...this.files.values()].map((e) => e.tp);
  }

  /**
   * Splits a batch by the input partition whose manifest commits it (the position's partition when
   * the runtime gives exactly one, which it always does; else each record's own), drops records
   * that partition already committed, and encodes the rest. A record that cannot be encoded rejects
   * the batch before anything is written.
   */
  private async group(records: SinkRecord[], position: PartitionOffset[]): Promise<Map<string, OwnerBatch>> {
    const owners = new Map<string, OwnerBatch>();
    const single = position.length === 1 ? position[0] : undefined;
    const ownerOf = async (tp: TopicPartition): Promise<OwnerBatch> => {
      const key = partitionKey(tp);
      let owner = owners.get(key);
      if (owner === undefined) {
        owner = { state: await this.partitionFor(tp), lines: new Map(), nextOffset: undefined };
        owners.set(key, owner);
      }
      return owner;
    };
    const rejected: Array<{ topic: string; partition: number; offset: string; reason: string }> = [];
    for (const record of records) {
      let name: string;
      let line: string;
      try {
        name = fileName(record);
        line = recordLine(record, this.config.format);
      } catch (err) {
        rejected.push({ topic: record.topic, partition: record.partition, offset: record.offset, reason: errorMessage(err) });
        continue;
      }
      if (rejected.length > 0) continue;
      const owner = await ownerOf(single ?? record);
      const offset = BigInt(record.offset);
      const committed = owner.state.manifest.nextOffset;
      if (committed !== null && offset < BigInt(committed)) continue;
      if (single === undefined && (owner.nextOffset === undefined || offset + 1n > owner.nextOffset)) owner.nextOffset = offset + 1n;
      const batch = owner.lines.get(name) ?? { tp: { topic: record.topic, partition: record.partition }, lines: [] };
      batch.lines.push(line);
      owner.lines.set(name, batch);
    }
    if (rejected.length > 0) {
      throw new TributaryError('SINK_RECORD_REJECTED', `writing batch: ${rejected.length} record(s) cannot be written as JSON lines: ${rejected[0]?.reason ?? ''}`, {
        details: { offsets: rejected },
      });
    }
    for (const p of position) {
      const owner = await ownerOf(p);
      const offset = BigInt(p.offset);
      const committed = owner.state.manifest.nextOffset;
      // Never move a position backwards (a redelivered, already committed batch).
      if (committed === null || offset > BigInt(committed)) owner.nextOffset = offset;
    }
    return owners;
  }

  /** The state of an input partition, restoring it from its manifest on first use. */
  private async partitionFor(tp: TopicPartition): Promise<PartitionState> {
    const key = partitionKey(tp);
    const known = this.partitions.get(key);
    if (known !== undefined) return known;
    fileName(tp); // validates the topic name before it becomes part of a path
    const { directory } = this.config;
    let manifest: Manifest | undefined;
    try {
      await removeTempManifest(directory, tp);
      manifest = await readManifest(directory, tp);
    } catch (err) {
      throw fsError(`reading the manifest of ${describe(tp)}`, err);
    }
    if (manifest !== undefined && manifest.group !== this.ctx.group) {
      throw new TributaryError(
        'CONFIG_INVALID',
        `opening ${describe(tp)}: ${directory} holds the positions of consumer group "${manifest.group}", not "${this.ctx.group}"; give this sink its own directory (or delete the .manifest.json files to start over)`,
      );
    }
    const state: PartitionState = {
      tp: { topic: tp.topic, partition: tp.partition },
      manifest: manifest ?? { version: 1, group: this.ctx.group, topic: tp.topic, partition: tp.partition, nextOffset: null, files: {} },
      dirty: false,
    };
    this.partitions.set(key, state);
    try {
      await this.restore(state);
    } catch (err) {
      this.partitions.delete(key);
      throw err;
    }
    return state;
  }

  /** Cuts every file of the partition back to its committed length. */
  private async restore(state: PartitionState): Promise<void> {
    const key = partitionKey(state.tp);
    for (const [name, length] of Object.entries(state.manifest.files)) {
      const entry = this.files.get(name);
      if (entry !== undefined && entry.owner !== key) throw ownershipError(name, entry.owner, key);
      if (entry !== undefined) {
        if (entry.file.size !== length || state.dirty) {
          try {
            await entry.file.truncate(length);
          } catch (err) {
            throw fsError(`cutting ${entry.file.path} back to its committed length`, err);
          }
        }
        continue;
      }
      const path = join(this.config.directory, name);
      let opened: Awaited<ReturnType<typeof PartitionFile.openAt>>;
      try {
        opened = await PartitionFile.openAt(path, this.openFile, this.config.fsync, length);
      } catch (err) {
        if (err instanceof ShortFileError) {
          throw new TributaryError('SINK_FAILED', `opening ${describe(state.tp)}: ${err.message}`, { cause: err, retriable: false });
        }
        throw fsError(`opening ${path}`, err);
      }
      if (opened.dropped > 0) {
        this.ctx.logger.info({ path, bytes: opened.dropped }, 'cut bytes written after the last commit; their records are delivered again');
      }
      this.files.set(name, { tp: fileTopicPartition(name, state.tp), owner: key, file: opened.file });
    }
    state.dirty = false;
  }

  /** Opens a file not listed in its partition's manifest (yet), dropping a partial last line. */
  private async fileFor(name: string, tp: TopicPartition, owner: string): Promise<PartitionFile> {
    const entry = this.files.get(name);
    if (entry !== undefined) {
      if (entry.owner !== owner) throw ownershipError(name, entry.owner, owner);
      return entry.file;
    }
    const path = join(this.config.directory, name);
    let opened: Awaited<ReturnType<typeof PartitionFile.open>>;
    try {
      opened = await PartitionFile.open(path, this.openFile, this.config.fsync);
      // A new file's name is durable only once its directory is synced.
      if (this.config.fsync) await this.syncDirectory();
    } catch (err) {
      throw fsError(`opening ${path}`, err);
    }
    if (opened.dropped > 0) {
      this.ctx.logger.warn({ path, bytes: opened.dropped }, 'dropped a partial last line left by an interrupted write; its records will be delivered again');
    }
    this.files.set(name, { tp, owner, file: opened.file });
    return opened.file;
  }

  /**
   * Makes the manifests durable: each is replaced atomically, then one directory fsync covers every
   * rename. A partition whose rename happened counts as committed even if the directory fsync
   * fails (the retry then finds its records already committed and skips them).
   */
  private async commitManifests(commits: Array<{ state: PartitionState; manifest: Manifest }>): Promise<void> {
    let failure: unknown;
    for (const { state, manifest } of commits) {
      try {
        await writeManifest(this.config.directory, manifest, this.openFile, this.config.fsync);
        state.manifest = manifest;
      } catch (err) {
        state.dirty = true;
        failure ??= err;
      }
    }
    if (failure === undefined && this.config.fsync) {
      try {
        await this.syncDirectory();
      } catch (err) {
        failure = err;
      }
    }
    if (failure !== undefined) throw fsError('committing the batch manifest', failure);
  }

  private async syncDirectory(): Promise<void> {
    let dir;
    try {
      dir = await this.openFile(this.config.directory, 'r');
    } catch (err) {
      // Some platforms (Windows) cannot open a directory for syncing; the file data is still synced.
      if (isPlatformLimit(err)) return;
      throw err;
    }
    try {
      await dir.sync();
    } catch (err) {
      if (!isPlatformLimit(err)) throw err;
    } finally {
      await dir.close();
    }
  }

  /** Best effort: a partition left dirty is cut back again before its next append or on open. */
  private async rollback(touched: Array<{ owner: OwnerBatch; file: PartitionFile; before: number }>): Promise<void> {
    const clean = new Set<OwnerBatch>(touched.map((t) => t.owner));
    for (const { owner, file, before } of touched) {
      try {
        await file.truncate(before);
      } catch (err) {
        clean.delete(owner);
        this.ctx.logger.warn({ path: file.path, err: errorMessage(err) }, 'could not undo a failed batch yet; it is cut before the next write');
      }
    }
    for (const owner of clean) owner.state.dirty = false;
  }

  private assertRunning(): void {
    if (this.stopped) throw new TributaryError('INTERNAL', 'file sink: called after stop()');
  }
}

/** `<topic>-<partition>.jsonl`; throws for a topic that is not a valid Kafka topic name. */
function fileName(tp: TopicPartition): string {
  if (!TOPIC_NAME.test(tp.topic) || tp.topic === '.' || tp.topic === '..') {
    throw new TypeError(`topic ${JSON.stringify(tp.topic)} is not a valid Kafka topic name`);
  }
  if (!Number.isSafeInteger(tp.partition) || tp.partition < 0) throw new TypeError(`partition ${tp.partition} is not a non-negative integer`);
  return `${tp.topic}-${tp.partition}.jsonl`;
}

/** The topic-partition a listed file name stands for (the partition's own file unless a transform renamed records). */
function fileTopicPartition(name: string, fallback: TopicPartition): TopicPartition {
  const match = /^(.+)-(\d+)\.jsonl$/.exec(name);
  return match === null ? fallback : { topic: match[1] as string, partition: Number(match[2]) };
}

function partitionKey(tp: TopicPartition): string {
  // NUL cannot appear in a topic name, so keys of different partitions never collide.
  return `${tp.topic}\0${tp.partition}`;
}

function describe(tp: TopicPartition): string {
  return `${tp.topic}[${tp.partition}]`;
}

function ownershipError(name: string, owner: string, other: string): TributaryError {
  const show = (key: string): string => key.replace('\0', '[') + ']';
  return new TributaryError(
    'SINK_FAILED',
    `writing ${name}: it already holds records of ${show(owner)}, and now gets records of ${show(other)}; sink-side transforms must not send two input partitions to one file`,
    { retriable: false },
  );
}

function fsError(context: string, err: unknown): TributaryError {
  if (err instanceof TributaryError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  return new TributaryError('SINK_FAILED', `${context}: ${errorMessage(err)}`, {
    cause: err,
    retriable: code === undefined || !PERMANENT_FS_ERRORS.has(code),
    details: code === undefined ? {} : { code },
  });
}

function isPlatformLimit(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EBADF';
}
