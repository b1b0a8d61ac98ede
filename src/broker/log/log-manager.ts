/**
 * All topics' logs under one data directory:
 *
 *   <dataDir>/topics/<topic dir>/topic.json        { version, name, id, partitions, raw }
 *   <dataDir>/topics/<topic dir>/<partition>/...   one PartitionLog each
 *
 * A topic exists exactly when its directory holds topic.json. Creation builds the directory under a
 * temporary name ("<dir>~creating") and renames it into place; deletion renames it to
 * "<dir>~delete-<uuid>" before removing it. '~' is not legal in topic names, so leftovers of either
 * (a crash mid-way) are recognised and removed on open.
 *
 * Contract: createTopic/deleteTopic/alterTopicConfig/createPartitions serialize among themselves.
 * partition() may be called at any time; a deleted topic's logs reject further calls with
 * UNKNOWN_TOPIC_OR_PARTITION.
 */

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../sdk/clock.ts';
import type { Logger } from '../../sdk/logger.ts';
import { INVALID_PARTITIONS, INVALID_TOPIC_EXCEPTION, LogError, TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION } from './errors.ts';
import { fsyncDir, writeFileAtomic } from './file-util.ts';
import { Mutex } from './mutex.ts';
import { PartitionLog, type LogConfig } from './partition-log.ts';
import { ignoredTopicConfigs, parseTopicConfigs, topicDirName, validateTopicName } from './topic-config.ts';

export interface TopicConfig {
  /** Kafka topic id (UUID), stable across restarts; for Metadata v10+ and Fetch v13+. */
  id: string;
  partitions: number;
  config: Partial<LogConfig>;
  /** Raw Kafka configs kept for DescribeConfigs. */
  raw: Record<string, string>;
}

/** Structurally the broker's TimerScheduler: one-shot timers the maintenance loop re-arms. */
export interface MaintenanceTimers {
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export interface LogManagerDeps {
  clock: Clock;
  logger: Logger;
  /** Injected timers for startMaintenance; without them an unref'd setInterval is used. */
  timers?: MaintenanceTimers;
}

/** Upper bound on partitions per topic; more is almost certainly a typo. */
export const MAX_PARTITIONS = 10_000;

const TOPICS_DIR = 'topics';
const TOPIC_FILE = 'topic.json';
const CREATING_SUFFIX = '~creating';
const DELETE_MARK = '~delete-';

interface TopicFile {
  version: 1;
  name: string;
  id: string;
  partitions: number;
  raw: Record<string, string>;
}

interface TopicState {
  name: string;
  dir: string;
  meta: TopicConfig;
  logs: PartitionLog[];
}

export class LogManager {
  private readonly byName = new Map<string, TopicState>();
  private readonly adminLock = new Mutex();
  private stopMaintenance: (() => void) | undefined;
  private maintenanceRun: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly topicsDir: string,
    private readonly defaults: LogConfig,
    private readonly deps: LogManagerDeps,
    private readonly logger: Logger,
  ) {}

  /** Loads every persisted topic and recovers each partition log. */
  static async open(dataDir: string, defaults: LogConfig, deps: LogManagerDeps): Promise<LogManager> {
    const topicsDir = join(dataDir, TOPICS_DIR);
    await mkdir(topicsDir, { recursive: true });
    const mgr = new LogManager(topicsDir, defaults, deps, deps.logger.child({ component: 'log-manager' }));
    for (const entry of await readdir(topicsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(topicsDir, entry.name);
      if (entry.name.endsWith(CREATING_SUFFIX) || entry.name.includes(DELETE_MARK)) {
        mgr.logger.info({ dir }, 'removing a topic directory left by an interrupted create or delete');
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      let file: TopicFile;
      try {
        file = JSON.parse(await readFile(join(dir, TOPIC_FILE), 'utf8')) as TopicFile;
      } catch (err) {
        mgr.logger.warn({ dir, err: (err as Error).message }, 'skipping a topic directory without a readable topic.json');
        continue;
      }
      await mgr.loadTopic(dir, file);
    }
    mgr.logger.info({ topics: mgr.byName.size }, 'log manager opened');
    return mgr;
  }

  private async loadTopic(dir: string, file: TopicFile): Promise<void> {
    const config = parseTopicConfigs(file.raw);
    const logs = await this.openPartitions(dir, 0, file.partitions, config);
    this.byName.set(file.name, { name: file.name, dir, meta: { id: file.id, partitions: file.partitions, config, raw: { ...file.raw } }, logs });
  }

  private async openPartitions(dir: string, from: number, to: number, config: Partial<LogConfig>): Promise<PartitionLog[]> {
    const effective = { ...this.defaults, ...config };
    const logs: PartitionLog[] = [];
    for (let p = from; p < to; p++) {
      logs.push(await PartitionLog.open(join(dir, String(p)), effective, { clock: this.deps.clock, logger: this.deps.logger }));
    }
    return logs;
  }

  /**
   * Creates a topic with raw Kafka configs. Throws LogError INVALID_TOPIC_EXCEPTION (bad name, or a
   * name colliding with an existing one once '.' and '_' are equated, as Kafka rules),
   * TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS or INVALID_CONFIG.
   */
  createTopic(name: string, partitions: number, raw: Record<string, string>): Promise<void> {
    return this.adminLock.run(async () => {
      this.ensureOpen();
      validateTopicName(name);
      if (this.byName.has(name)) throw new LogError(TOPIC_ALREADY_EXISTS, `topic ${name} already exists`);
      const collides = [...this.byName.keys()].find((t) => t.replace(/\./g, '_') === name.replace(/\./g, '_'));
      if (collides !== undefined) throw new LogError(INVALID_TOPIC_EXCEPTION, `topic ${name} collides with existing topic ${collides}`);
      if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
        throw new LogError(INVALID_PARTITIONS, `topic ${name}: partition count ${partitions} is not in [1, ${MAX_PARTITIONS}]`);
      }
      const config = parseTopicConfigs(raw);
      PartitionLog.checkConfig({ ...this.defaults, ...config });
      for (const ignored of ignoredTopicConfigs(raw)) {
        this.logger.warn({ topic: name, config: ignored, value: raw[ignored] }, 'topic config accepted but not applied by the embedded broker');
      }
      const dir = join(this.topicsDir, topicDirName(name));
      const staging = `${dir}${CREATING_SUFFIX}`;
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      const file: TopicFile = { version: 1, name, id: randomUUID(), partitions, raw: { ...raw } };
      await writeFileAtomic(join(staging, TOPIC_FILE), JSON.stringify(file, null, 2));
      await rename(staging, dir);
      await fsyncDir(this.topicsDir);
      const logs = await this.openPartitions(dir, 0, partitions, config);
      this.byName.set(name, { name, dir, meta: { id: file.id, partitions, config, raw: { ...raw } }, logs });
      this.logger.info({ topic: name, partitions, id: file.id }, 'created topic');
    });
  }

  /** Deletes a topic and its data. Throws LogError UNKNOWN_TOPIC_OR_PARTITION if it does not exist. */
  deleteTopic(name: string): Promise<void> {
    return this.adminLock.run(async () => {
      this.ensureOpen();
      const state = this.byName.get(name);
      if (state === undefined) throw new LogError(UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
      this.byName.delete(name);
      await Promise.all(state.logs.map((l) => l.abandon()));
      const doomed = `${state.dir}${DELETE_MARK}${randomUUID()}`;
      await rename(state.dir, doomed);
      await fsyncDir(this.topicsDir);
      await rm(doomed, { recursive: true, force: true });
      this.logger.info({ topic: name }, 'deleted topic');
    });
  }

  /** Replaces a topic's raw configs (the caller merges for IncrementalAlterConfigs). */
  alterTopicConfig(name: string, raw: Record<string, string>): Promise<void> {
    return this.adminLock.run(async () => {
      this.ensureOpen();
      const state = this.byName.get(name);
      if (state === undefined) throw new LogError(UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
      const config = parseTopicConfigs(raw);
      const effective = { ...this.defaults, ...config };
      PartitionLog.checkConfig(effective);
      await this.writeTopicFile(state, state.meta.partitions, raw);
      state.meta = { ...state.meta, config, raw: { ...raw } };
      for (const log of state.logs) log.updateConfig(effective);
    });
  }

  /** CreatePartitions: grows the topic to `total` partitions. */
  createPartitions(name: string, total: number): Promise<void> {
    return this.adminLock.run(async () => {
      this.ensureOpen();
      const state = this.byName.get(name);
      if (state === undefined) throw new LogError(UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
      if (!Number.isInteger(total) || total <= state.meta.partitions || total > MAX_PARTITIONS) {
        throw new LogError(INVALID_PARTITIONS, `topic ${name} has ${state.meta.partitions} partitions; cannot grow to ${total}`);
      }
      const logs = await this.openPartitions(state.dir, state.meta.partitions, total, state.meta.config);
      await this.writeTopicFile(state, total, state.meta.raw);
      state.logs = [...state.logs, ...logs];
      state.meta = { ...state.meta, partitions: total };
    });
  }

  private async writeTopicFile(state: TopicState, partitions: number, raw: Record<string, string>): Promise<void> {
    const file: TopicFile = { version: 1, name: state.name, id: state.meta.id, partitions, raw: { ...raw } };
    await writeFileAtomic(join(state.dir, TOPIC_FILE), JSON.stringify(file, null, 2));
  }

  topic(name: string): TopicConfig | undefined {
    return this.byName.get(name)?.meta;
  }

  topics(): string[] {
    return [...this.byName.keys()].sort();
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.byName.get(topic)?.logs[partition];
  }

  /**
   * Runs retention, compaction and interval fsync every `intervalMs` (with the injected timers if
   * given, else an unref'd setInterval so it never keeps the process alive). Runs never overlap.
   */
  startMaintenance(intervalMs: number): void {
    if (this.stopMaintenance !== undefined || this.closing !== undefined) return;
    const tick = (): void => {
      if (this.maintenanceRun !== undefined) return;
      this.maintenanceRun = this.runMaintenance().finally(() => {
        this.maintenanceRun = undefined;
      });
    };
    const timers = this.deps.timers;
    if (timers !== undefined) {
      let handle: { cancel(): void } | undefined;
      let stopped = false;
      const arm = (): void => {
        handle = timers.setTimeout(() => {
          if (stopped) return;
          tick();
          arm();
        }, intervalMs);
      };
      arm();
      this.stopMaintenance = () => {
        stopped = true;
        handle?.cancel();
      };
    } else {
      const timer = setInterval(tick, intervalMs);
      timer.unref();
      this.stopMaintenance = () => clearInterval(timer);
    }
  }

  /** One maintenance pass over every partition; a failing partition is logged and skipped. */
  async runMaintenance(): Promise<void> {
    for (const state of [...this.byName.values()]) {
      for (const [p, log] of state.logs.entries()) {
        try {
          await log.maybeFlush();
          await log.applyRetention();
          await log.compact();
        } catch (err) {
          this.logger.error({ topic: state.name, partition: p, err: (err as Error).message }, 'log maintenance failed');
        }
      }
    }
  }

  /** Stops maintenance and closes every log cleanly. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopMaintenance?.();
      await this.maintenanceRun;
      await this.adminLock.run(async () => {
        for (const state of this.byName.values()) await Promise.all(state.logs.map((l) => l.close()));
      });
    })();
    return this.closing;
  }

  private ensureOpen(): void {
    if (this.closing !== undefined) throw new LogError(UNKNOWN_TOPIC_OR_PARTITION, 'log manager is closed');
  }
}
