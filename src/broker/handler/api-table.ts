/**
 * The APIs this broker serves: for each API key, the codec of every implemented version and the
 * handler. ApiVersions advertises exactly this table, so a client never negotiates a version the
 * broker cannot decode.
 */
import { addOffsetsToTxnVersions } from '../protocol/add-offsets-to-txn/index.ts';
import { addPartitionsToTxnVersions } from '../protocol/add-partitions-to-txn/index.ts';
import type { ApiVersionCodec } from '../protocol/api.ts';
import { apiVersionsVersions } from '../protocol/api-versions/index.ts';
import type { ApiVersionsApiVersion } from '../protocol/api-versions/types.ts';
import { createTopicsVersions } from '../protocol/create-topics/index.ts';
import { deleteTopicsVersions } from '../protocol/delete-topics/index.ts';
import { describeConfigsVersions } from '../protocol/describe-configs/index.ts';
import { describeGroupsVersions } from '../protocol/describe-groups/index.ts';
import { endTxnVersions } from '../protocol/end-txn/index.ts';
import { ErrorCode } from '../protocol/error-code.ts';
import { fetchVersions } from '../protocol/fetch/index.ts';
import { findCoordinatorVersions } from '../protocol/find-coordinator/index.ts';
import { heartbeatVersions } from '../protocol/heartbeat/index.ts';
import { initProducerIdVersions } from '../protocol/init-producer-id/index.ts';
import { joinGroupVersions } from '../protocol/join-group/index.ts';
import { leaveGroupVersions } from '../protocol/leave-group/index.ts';
import { listGroupsVersions } from '../protocol/list-groups/index.ts';
import { listOffsetsVersions } from '../protocol/list-offsets/index.ts';
import { metadataVersions } from '../protocol/metadata/index.ts';
import { offsetCommitVersions } from '../protocol/offset-commit/index.ts';
import { offsetFetchVersions } from '../protocol/offset-fetch/index.ts';
import { produceVersions } from '../protocol/produce/index.ts';
import { syncGroupVersions } from '../protocol/sync-group/index.ts';
import { txnOffsetCommitVersions } from '../protocol/txn-offset-commit/index.ts';
import type { BrokerServices, Handler, RequestContext } from './context.ts';
import { describeConfigsHandler } from './describe-configs.ts';
import { fetchHandler } from './fetch.ts';
import { findCoordinatorHandler } from './find-coordinator.ts';
import { describeGroupsHandler, heartbeatHandler, joinGroupHandler, leaveGroupHandler, listGroupsHandler, syncGroupHandler } from './group.ts';
import { listOffsetsHandler } from './list-offsets.ts';
import { metadataHandler } from './metadata.ts';
import { offsetCommitHandler, offsetFetchHandler } from './offsets.ts';
import { produceHandler } from './produce.ts';
import { createTopicsHandler, deleteTopicsHandler } from './topics.ts';
import { addOffsetsToTxnHandler, addPartitionsToTxnHandler, endTxnHandler, initProducerIdHandler, txnOffsetCommitHandler } from './transaction.ts';

/** One API with its versions and handler, with the request/response types erased for dispatch. */
export interface ApiEntry {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  codec(version: number): ApiVersionCodec<unknown, unknown> | undefined;
  handle(request: unknown, ctx: RequestContext): Promise<unknown> | unknown;
}

export type ApiTable = ReadonlyMap<number, ApiEntry>;

function entry<Req, Res>(versions: ReadonlyArray<ApiVersionCodec<Req, Res>>, handler: Handler<Req, Res>): ApiEntry {
  const first = versions[0];
  const last = versions[versions.length - 1];
  if (!first || !last) throw new Error('an API needs at least one version');
  versions.forEach((v, i) => {
    // Invariant: versions are contiguous, so [min, max] in ApiVersions is exactly what is implemented.
    if (v.version !== first.version + i || v.apiKey !== first.apiKey) throw new Error(`API ${first.apiKey}: versions are not contiguous at v${v.version}`);
  });
  const byVersion = new Map(versions.map((v) => [v.version, v as unknown as ApiVersionCodec<unknown, unknown>]));
  return {
    apiKey: first.apiKey,
    minVersion: first.version,
    maxVersion: last.version,
    codec: (version) => byVersion.get(version),
    handle: (request, ctx) => handler(request as Req, ctx),
  };
}

export function advertisedVersions(table: ApiTable): ApiVersionsApiVersion[] {
  return [...table.values()].sort((a, b) => a.apiKey - b.apiKey).map((e) => ({ apiKey: e.apiKey, minVersion: e.minVersion, maxVersion: e.maxVersion }));
}

export function buildApiTable(svc: BrokerServices): ApiTable {
  const table = new Map<number, ApiEntry>();
  const add = (e: ApiEntry): void => {
    table.set(e.apiKey, e);
  };
  add(entry(produceVersions, produceHandler(svc)));
  add(entry(fetchVersions, fetchHandler(svc)));
  add(entry(listOffsetsVersions, listOffsetsHandler(svc)));
  add(entry(metadataVersions, metadataHandler(svc)));
  add(entry(offsetCommitVersions, offsetCommitHandler(svc)));
  add(entry(offsetFetchVersions, offsetFetchHandler(svc)));
  add(entry(findCoordinatorVersions, findCoordinatorHandler(svc)));
  add(entry(joinGroupVersions, joinGroupHandler(svc)));
  add(entry(heartbeatVersions, heartbeatHandler(svc)));
  add(entry(leaveGroupVersions, leaveGroupHandler(svc)));
  add(entry(syncGroupVersions, syncGroupHandler(svc)));
  add(entry(describeGroupsVersions, describeGroupsHandler(svc)));
  add(entry(listGroupsVersions, listGroupsHandler(svc)));
  add(entry(apiVersionsVersions, () => ({ errorCode: ErrorCode.NONE, apiKeys: advertisedVersions(table), throttleTimeMs: 0 })));
  add(entry(createTopicsVersions, createTopicsHandler(svc)));
  add(entry(deleteTopicsVersions, deleteTopicsHandler(svc)));
  add(entry(initProducerIdVersions, initProducerIdHandler(svc)));
  add(entry(addPartitionsToTxnVersions, addPartitionsToTxnHandler(svc)));
  add(entry(addOffsetsToTxnVersions, addOffsetsToTxnHandler(svc)));
  add(entry(endTxnVersions, endTxnHandler(svc)));
  add(entry(txnOffsetCommitVersions, txnOffsetCommitHandler(svc)));
  add(entry(describeConfigsVersions, describeConfigsHandler(svc)));
  return table;
}
