/**
 * What a request handler is given: the broker's services, and per request the negotiated version and
 * who is asking. Handlers never see sockets; they return the canonical response (or null when the
 * protocol says no response is sent, as for acks=0 produce).
 */
import type { Clock } from '../../sdk/clock.ts';
import type { Logger } from '../../sdk/logger.ts';
import type { BrokerConfig } from '../config.ts';
import type { GroupCoordinator } from '../group/group-coordinator.ts';
import type { LogManager } from '../log/log-manager.ts';
import type { TransactionCoordinator } from '../txn/transaction-coordinator.ts';
import type { AppendNotifier } from './append-notifier.ts';

export interface RequestContext {
  apiVersion: number;
  clientId: string | null;
  /** The peer's address, for group member descriptions. */
  clientHost: string;
  /** Aborted when the connection closes or the broker stops, so long polls end early. */
  signal: AbortSignal;
}

export interface BrokerServices {
  config: BrokerConfig;
  /** The address clients are told to use; known once the server listens. */
  advertised: { host: string; port: number };
  clusterId: string;
  logs: LogManager;
  groups: GroupCoordinator;
  txns: TransactionCoordinator;
  appends: AppendNotifier;
  clock: Clock;
  logger: Logger;
}

export type Handler<Req, Res> = (req: Req, ctx: RequestContext) => Promise<Res | null> | Res | null;
