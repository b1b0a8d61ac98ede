/**
 * ListOffsets: -1 (latest) is the high watermark, or the last stable offset under read_committed;
 * -2 (earliest) is the log start offset; any other timestamp finds the first offset whose batch
 * timestamp is at or after it (-1 when none is).
 */
import type { IsolationLevel } from '../log/partition-log.ts';
import { ErrorCode } from '../protocol/error-code.ts';
import type { ListOffsetsPartitionResponse, ListOffsetsRequest, ListOffsetsResponse } from '../protocol/list-offsets/types.ts';
import type { BrokerServices, Handler } from './context.ts';
import { errorCodeOf } from './error-mapping.ts';

const LATEST = -1n;
const EARLIEST = -2n;
/** The embedded broker never changes leader, so every partition is in leader epoch 0. */
export const LEADER_EPOCH = 0;

export function listOffsetsHandler(svc: BrokerServices): Handler<ListOffsetsRequest, ListOffsetsResponse> {
  return async (req) => {
    const isolation: IsolationLevel = req.isolationLevel === 1 ? 'read_committed' : 'read_uncommitted';
    const topics = [];
    for (const t of req.topics) {
      const partitions: ListOffsetsPartitionResponse[] = [];
      for (const p of t.partitions) partitions.push(await listPartition(svc, t.name, p.partitionIndex, p.timestamp, isolation));
      topics.push({ name: t.name, partitions });
    }
    return { throttleTimeMs: 0, topics };
  };
}

async function listPartition(svc: BrokerServices, topic: string, partition: number, timestamp: bigint, isolation: IsolationLevel): Promise<ListOffsetsPartitionResponse> {
  const result = (errorCode: number, offset: bigint, ts = -1n): ListOffsetsPartitionResponse => ({
    partitionIndex: partition,
    errorCode,
    timestamp: ts,
    offset,
    leaderEpoch: errorCode === ErrorCode.NONE ? LEADER_EPOCH : -1,
  });
  const log = svc.logs.partition(topic, partition);
  if (!log) return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n);
  if (timestamp === LATEST) return result(ErrorCode.NONE, isolation === 'read_committed' ? log.lastStableOffset : log.logEndOffset);
  if (timestamp === EARLIEST) return result(ErrorCode.NONE, log.logStartOffset);
  if (timestamp < 0n) return result(ErrorCode.INVALID_REQUEST, -1n);
  try {
    const found = await log.offsetForTimestamp(timestamp, isolation);
    return found ? result(ErrorCode.NONE, found.offset, found.timestamp) : result(ErrorCode.NONE, -1n);
  } catch (err) {
    return result(errorCodeOf(err, svc.logger, `listing offsets of ${topic}-${partition}`), -1n);
  }
}
