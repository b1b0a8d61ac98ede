/**
 * The embedded, single-node, Kafka-wire-compatible broker: wires the partition logs, the group and
 * transaction coordinators and the request handlers behind a TCP server. Everything it persists
 * lives under `dataDir`: topic logs, coordinator state, and the cluster id (stable across restarts,
 * so clients that cached it are not confused).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../sdk/clock.ts';
import type { Logger } from '../sdk/logger.ts';
import { resolveBrokerConfig, type BrokerConfig, type EmbeddedBrokerOptions } from './config.ts';
import { FileCoordinatorStore } from './group/file-coordinator-store.ts';
import { GroupCoordinator } from './group/group-coordinator.ts';
import { systemTimerScheduler } from './group/timer-scheduler.ts';
import { buildApiTable } from './handler/api-table.ts';
import { AppendNotifier } from './handler/append-notifier.ts';
import type { BrokerServices } from './handler/context.ts';
import { RequestRouter } from './handler/router.ts';
import { LogTxnMarkerWriter } from './handler/txn-marker-writer.ts';
import { LogManager } from './log/log-manager.ts';
import { KafkaServer } from './server.ts';
import { BlockProducerIdAllocator } from './txn/producer-id-allocator.ts';
import { TransactionCoordinator } from './txn/transaction-coordinator.ts';

export type { EmbeddedBrokerOptions } from './config.ts';

const META_FILE = 'broker.json';

interface BrokerMeta {
  clusterId: string;
  nodeId: number;
}

/** Reads the persisted cluster id, or mints one (22 base64url characters, as Kafka's are) on first start. */
async function loadMeta(dataDir: string, nodeId: number): Promise<BrokerMeta> {
  const path = join(dataDir, META_FILE);
  try {
    const meta = JSON.parse(await readFile(path, 'utf8')) as Partial<BrokerMeta>;
    if (typeof meta.clusterId === 'string') return { clusterId: meta.clusterId, nodeId };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const meta = { clusterId: randomBytes(16).toString('base64url'), nodeId };
  await writeFile(`${path}.tmp`, JSON.stringify(meta) + '\n');
  await rename(`${path}.tmp`, path);
  return meta;
}

export class EmbeddedBroker {
  private stopping: Promise<void> | null = null;

  private constructor(
    /** The advertised host clients connect to. */
    readonly host: string,
    /** The port the server is bound to. */
    readonly port: number,
    private readonly advertisedPort: number,
    readonly config: BrokerConfig,
    private readonly server: KafkaServer,
    private readonly closers: Array<() => Promise<void>>,
    private readonly logger: Logger,
  ) {}

  /** The advertised `host:port`, for a Kafka client's bootstrap servers. */
  get bootstrap(): string {
    return `${this.host}:${this.advertisedPort}`;
  }

  static async start(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    const config = resolveBrokerConfig(opts);
    const clock: Clock = opts.clock ?? systemClock;
    const logger = opts.logger;
    const closers: Array<() => Promise<void>> = [];
    // On a failed start, close whatever was opened, newest first.
    const unwind = async (): Promise<void> => {
      for (const close of closers.reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'closing after a failed start'));
    };
    try {
      await mkdir(join(config.dataDir, 'coordinator'), { recursive: true });
      const meta = await loadMeta(config.dataDir, config.nodeId);

      const logs = await LogManager.open(join(config.dataDir, 'log'), config.log, { clock, logger });
      closers.push(() => logs.close());

      const groupStore = await FileCoordinatorStore.open(join(config.dataDir, 'coordinator', 'groups.log'), { logger });
      closers.push(() => groupStore.close());
      const txnStore = await FileCoordinatorStore.open(join(config.dataDir, 'coordinator', 'transactions.log'), { logger });
      closers.push(() => txnStore.close());
      const pidStore = await FileCoordinatorStore.open(join(config.dataDir, 'coordinator', 'producer-ids.log'), { logger });
      closers.push(() => pidStore.close());

      const timers = systemTimerScheduler;
      const groups = await GroupCoordinator.load({ clock, logger, store: groupStore, timers }, config.groups);
      closers.push(() => groups.close());
      const appends = new AppendNotifier(clock);
      const txns = await TransactionCoordinator.load(
        {
          clock,
          logger,
          store: txnStore,
          timers,
          markers: new LogTxnMarkerWriter(logs, appends),
          groups,
          producerIds: await BlockProducerIdAllocator.load(pidStore),
        },
        config.transactions,
      );
      closers.push(() => txns.close());

      const services: BrokerServices = {
        config,
        advertised: { host: config.advertisedHost, port: config.port },
        clusterId: meta.clusterId,
        logs,
        groups,
        txns,
        appends,
        clock,
        logger,
      };
      const router = new RequestRouter(buildApiTable(services), logger);
      const server = await KafkaServer.listen({
        host: config.host,
        port: config.port,
        maxFrameBytes: config.maxFrameBytes,
        maxInFlightPerConnection: config.maxInFlightPerConnection,
        logger: logger.child({ scope: 'server' }),
        route: (frame, conn) => router.route(frame, conn),
      });
      closers.push(() => server.close());
      // Invariant: the advertised port is known before any client can send Metadata.
      services.advertised.port = config.advertisedPort || server.address.port;
      logs.startMaintenance(config.maintenanceIntervalMs);
      logger.info({ host: config.host, port: server.address.port, dataDir: config.dataDir, clusterId: meta.clusterId }, 'broker started');
      return new EmbeddedBroker(config.advertisedHost, server.address.port, services.advertised.port, config, server, closers, logger);
    } catch (err) {
      await unwind();
      throw err;
    }
  }

  /** Stops serving, then closes coordinators and logs (flushing them). Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Server first so no request races the coordinators' and logs' shutdown.
      for (const close of [...this.closers].reverse()) {
        try {
          await close();
        } catch (err) {
          this.logger.warn({ err }, 'error while stopping the broker');
        }
      }
      this.logger.info({ port: this.port }, 'broker stopped');
    })();
    return this.stopping;
  }

  /** Open client connections (for tests). */
  get connectionCount(): number {
    return this.server.connectionCount;
  }
}
