/**
 * OffsetCommit and OffsetFetch over the {@link GroupCoordinator}. Commits for partitions that do not
 * exist are refused per partition with UNKNOWN_TOPIC_OR_PARTITION, as Kafka does; the rest go through.
 */
import { ErrorCode } from '../protocol/error-code.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../protocol/offset-commit/types.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from '../protocol/offset-fetch/types.ts';
import type { BrokerServices, Handler } from './context.ts';
import { groupByTopic } from './group-by-topic.ts';

/** OffsetFetch v2 added the group-level error code; before it the group's error goes on each partition. */
const GROUP_ERROR_SINCE = 2;

export function offsetCommitHandler(svc: BrokerServices): Handler<OffsetCommitRequest, OffsetCommitResponse> {
  return async (req) => {
    const wanted = req.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        metadata: p.committedMetadata,
        leaderEpoch: p.committedLeaderEpoch,
      })),
    );
    const known = wanted.filter((o) => svc.logs.partition(o.topic, o.partition) !== undefined);
    const results = known.length > 0 ? await svc.groups.commitOffsets({ groupId: req.groupId, generationId: req.generationIdOrMemberEpoch, memberId: req.memberId, offsets: known }) : [];
    const errors = new Map(results.map((r) => [`${r.topic}\u0000${r.partition}`, r.errorCode]));
    const all = wanted.map((o) => ({ topic: o.topic, partition: o.partition, errorCode: errors.get(`${o.topic}\u0000${o.partition}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }));
    return { throttleTimeMs: 0, topics: groupByTopic(all, (r) => ({ partitionIndex: r.partition, errorCode: r.errorCode })) };
  };
}

export function offsetFetchHandler(svc: BrokerServices): Handler<OffsetFetchRequest, OffsetFetchResponse> {
  return (req, ctx) => {
    const partitions = req.topics === null ? null : req.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
    const res = svc.groups.fetchOffsets({ groupId: req.groupId, partitions, requireStable: false });
    const groupError = ctx.apiVersion < GROUP_ERROR_SINCE ? res.errorCode : ErrorCode.NONE;
    const topics = groupByTopic(res.offsets, (o) => ({
      partitionIndex: o.partition,
      committedOffset: o.offset,
      committedLeaderEpoch: o.leaderEpoch,
      metadata: o.metadata,
      errorCode: o.errorCode !== ErrorCode.NONE ? o.errorCode : groupError,
    }));
    return { throttleTimeMs: 0, topics, errorCode: res.errorCode };
  };
}
