/**
 * The transactional producer APIs, translated to and from the {@link TransactionCoordinator}, which
 * owns producer ids, epochs, fencing and the transaction state machine. EndTxn resolves only after
 * every marker is written, so a client never sees CONCURRENT_TRANSACTIONS from this broker.
 *
 * The coordinator speaks the newest error codes; each handler answers PRODUCER_FENCED only to request
 * versions that define it and INVALID_PRODUCER_EPOCH to older ones (`fencedErrorFor`), as Kafka does.
 * A client that meets a code it does not know cannot tell it was fenced (kafkajs reports 90 as an
 * unknown error), so the mapping is part of the wire contract, not a courtesy.
 */
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from '../protocol/add-offsets-to-txn/types.ts';
import type { AddPartitionsToTxnRequest, AddPartitionsToTxnResponse } from '../protocol/add-partitions-to-txn/types.ts';
import type { EndTxnRequest, EndTxnResponse } from '../protocol/end-txn/types.ts';
import { ErrorCode } from '../protocol/error-code.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../protocol/init-producer-id/types.ts';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from '../protocol/txn-offset-commit/types.ts';
import { fencedErrorFor } from '../txn/fenced-error.ts';
import type { BrokerServices, Handler } from './context.ts';
import { groupByTopic } from './group-by-topic.ts';

/** Kafka's OPERATION_NOT_ATTEMPTED: the request failed because of another partition in it. */
const OPERATION_NOT_ATTEMPTED = 55;

export function initProducerIdHandler(svc: BrokerServices): Handler<InitProducerIdRequest, InitProducerIdResponse> {
  return async (req, ctx) => {
    const res = await svc.txns.initProducerId(req);
    return { throttleTimeMs: 0, ...res, errorCode: fencedErrorFor('InitProducerId', ctx.apiVersion, res.errorCode) };
  };
}

export function addPartitionsToTxnHandler(svc: BrokerServices): Handler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> {
  return async (req, ctx) => {
    const partitions = req.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
    const missing = partitions.filter((p) => svc.logs.partition(p.topic, p.partition) === undefined);
    const results =
      missing.length > 0
        ? partitions.map((p) => ({ ...p, errorCode: missing.includes(p) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : OPERATION_NOT_ATTEMPTED }))
        : await svc.txns.addPartitionsToTxn({ transactionalId: req.transactionalId, producerId: req.producerId, producerEpoch: req.producerEpoch, partitions });
    return {
      throttleTimeMs: 0,
      resultsByTopic: groupByTopic(results, (r) => ({ partitionIndex: r.partition, partitionErrorCode: fencedErrorFor('AddPartitionsToTxn', ctx.apiVersion, r.errorCode) })).map((t) => ({ name: t.name, resultsByPartition: t.partitions })),
    };
  };
}

export function addOffsetsToTxnHandler(svc: BrokerServices): Handler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> {
  return async (req, ctx) => ({ throttleTimeMs: 0, errorCode: fencedErrorFor('AddOffsetsToTxn', ctx.apiVersion, (await svc.txns.addOffsetsToTxn(req)).errorCode) });
}

export function endTxnHandler(svc: BrokerServices): Handler<EndTxnRequest, EndTxnResponse> {
  return async (req, ctx) => {
    const res = await svc.txns.endTxn({ transactionalId: req.transactionalId, producerId: req.producerId, producerEpoch: req.producerEpoch, commit: req.committed });
    return { throttleTimeMs: 0, errorCode: fencedErrorFor('EndTxn', ctx.apiVersion, res.errorCode) };
  };
}

export function txnOffsetCommitHandler(svc: BrokerServices): Handler<TxnOffsetCommitRequest, TxnOffsetCommitResponse> {
  return async (req) => {
    const offsets = req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })));
    const results = await svc.txns.txnOffsetCommit({ transactionalId: req.transactionalId, groupId: req.groupId, producerId: req.producerId, producerEpoch: req.producerEpoch, offsets });
    return { throttleTimeMs: 0, topics: groupByTopic(results, (r) => ({ partitionIndex: r.partition, errorCode: r.errorCode })) };
  };
}
