/**
 * Fetch: reads whole batches from each requested partition, honouring the isolation level (read_committed
 * stops at the last stable offset and lists aborted transactions), and long-polls: while fewer than
 * min_bytes are available it waits, up to max_wait_ms, for an append to any requested partition.
 *
 * Fetch sessions (KIP-227) are not kept: every response is a full response with session id 0, which
 * clients treat as "no session" and keep sending full requests.
 */
import type { IsolationLevel } from '../log/partition-log.ts';
import { ErrorCode } from '../protocol/error-code.ts';
import type { FetchPartitionData, FetchRequest, FetchResponse } from '../protocol/fetch/types.ts';
import { AppendNotifier } from './append-notifier.ts';
import type { BrokerServices, Handler } from './context.ts';
import { errorCodeOf } from './error-mapping.ts';

const READ_COMMITTED = 1;

export function fetchHandler(svc: BrokerServices): Handler<FetchRequest, FetchResponse> {
  return async (req, ctx) => {
    const maxWaitMs = Math.max(0, Math.min(req.maxWaitMs, svc.config.maxFetchWaitMs));
    const deadline = svc.clock.now() + maxWaitMs;
    const keys = req.topics.flatMap((t) => t.partitions.map((p) => AppendNotifier.key(t.topic, p.partition)));
    for (;;) {
      const remaining = deadline - svc.clock.now();
      // Watch before reading: an append landing between the read and the wait still wakes us.
      const watch = remaining > 0 && req.minBytes > 0 && !ctx.signal.aborted ? svc.appends.watch(keys, remaining, ctx.signal) : null;
      const { response, bytes, failed } = await readOnce(svc, req);
      if (!watch || bytes >= req.minBytes || failed) {
        watch?.cancel();
        return response;
      }
      await watch.done;
      if (svc.clock.now() >= deadline || ctx.signal.aborted) return (await readOnce(svc, req)).response;
    }
  };
}

async function readOnce(svc: BrokerServices, req: FetchRequest): Promise<{ response: FetchResponse; bytes: number; failed: boolean }> {
  const isolation: IsolationLevel = req.isolationLevel === READ_COMMITTED ? 'read_committed' : 'read_uncommitted';
  let budget = req.maxBytes > 0 ? req.maxBytes : 0x7fffffff;
  let bytes = 0;
  let failed = false;
  const responses = [];
  for (const t of req.topics) {
    const partitions: FetchPartitionData[] = [];
    for (const p of t.partitions) {
      const data = await readPartition(svc, t.topic, p.partition, p.fetchOffset, Math.min(p.partitionMaxBytes, budget), isolation);
      if (data.errorCode !== ErrorCode.NONE) failed = true;
      const size = data.records?.length ?? 0;
      bytes += size;
      budget = Math.max(0, budget - size);
      partitions.push(data);
    }
    responses.push({ topic: t.topic, partitions });
  }
  return { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses }, bytes, failed };
}

async function readPartition(svc: BrokerServices, topic: string, partition: number, offset: bigint, maxBytes: number, isolation: IsolationLevel): Promise<FetchPartitionData> {
  const empty = (errorCode: number, hw = -1n, lso = -1n, start = -1n): FetchPartitionData => ({
    partitionIndex: partition,
    errorCode,
    highWatermark: hw,
    lastStableOffset: lso,
    logStartOffset: start,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: Buffer.alloc(0),
  });
  const log = svc.logs.partition(topic, partition);
  if (!log) return empty(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (offset < log.logStartOffset || offset > log.logEndOffset) {
    return empty(ErrorCode.OFFSET_OUT_OF_RANGE, log.logEndOffset, log.lastStableOffset, log.logStartOffset);
  }
  if (maxBytes <= 0) return empty(ErrorCode.NONE, log.logEndOffset, log.lastStableOffset, log.logStartOffset);
  try {
    const r = await log.read(offset, maxBytes, isolation);
    return {
      partitionIndex: partition,
      errorCode: ErrorCode.NONE,
      highWatermark: r.highWatermark,
      lastStableOffset: r.lastStableOffset,
      logStartOffset: r.logStartOffset,
      abortedTransactions: isolation === 'read_committed' ? r.abortedTransactions : null,
      preferredReadReplica: -1,
      records: r.records,
    };
  } catch (err) {
    return empty(errorCodeOf(err, svc.logger, `fetching ${topic}-${partition} at ${offset}`), log.logEndOffset, log.lastStableOffset, log.logStartOffset);
  }
}

