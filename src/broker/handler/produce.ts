/**
 * Produce: splits each partition's record set into batches and appends them to the partition log
 * byte for byte (compressed batches stay compressed). Idempotence and transaction checks live in
 * the log; a duplicate batch answers with the offset it was first written at.
 *
 * Invariant: the handler calls `append` for its partitions before its first `await`, so two Produce
 * requests pipelined on one connection reach each partition log in the order they were sent (the
 * log serializes appends in call order). Idempotent producers with several in-flight requests rely on it.
 *
 * Transactional batches are first checked with the transaction coordinator (`verifyProduce`): only the
 * transactionalId's current producer may write, and only to partitions it added to its transaction.
 */
import { readBatchHeader, splitBatches, MAGIC_V2 } from '../log/record-batch.ts';
import { ErrorCode } from '../protocol/error-code.ts';
import type { ProducePartitionProduceResponse, ProduceRequest, ProduceResponse } from '../protocol/produce/types.ts';
import type { BrokerServices, Handler } from './context.ts';
import { errorCodeOf } from './error-mapping.ts';

export function produceHandler(svc: BrokerServices): Handler<ProduceRequest, ProduceResponse> {
  return async (req) => {
    const validAcks = req.acks === 0 || req.acks === 1 || req.acks === -1;
    const topics = req.topicData.map((t) => ({
      name: t.name,
      partitions: t.partitionData.map((p) =>
        validAcks ? appendPartition(svc, req.transactionalId, t.name, p.index, p.records) : Promise.resolve(failed(p.index, ErrorCode.INVALID_REQUIRED_ACKS)),
      ),
    }));
    const responses = [];
    for (const t of topics) responses.push({ name: t.name, partitionResponses: await Promise.all(t.partitions) });
    // acks=0: the client expects no response at all.
    if (req.acks === 0) return null;
    return { responses, throttleTimeMs: 0 };
  };
}

function failed(index: number, errorCode: number, errorMessage: string | null = null): ProducePartitionProduceResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], errorMessage };
}

function appendPartition(svc: BrokerServices, transactionalId: string | null, topic: string, index: number, records: Buffer | null): Promise<ProducePartitionProduceResponse> {
  const log = svc.logs.partition(topic, index);
  if (!log) return Promise.resolve(failed(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  let batches: Buffer[];
  try {
    if (records === null || records.length === 0) return Promise.resolve(failed(index, ErrorCode.INVALID_RECORD, 'empty record set'));
    batches = splitBatches(records);
    for (const batch of batches) {
      const h = readBatchHeader(batch);
      if (h.magic !== MAGIC_V2) return Promise.resolve(failed(index, ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, 'only record batch v2 (magic 2) is supported'));
      if (h.isTransactional) {
        // Kafka refuses transactional records sent without the request's transactional id the same way.
        if (transactionalId === null) return Promise.resolve(failed(index, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'transactional records need a transactional id'));
        const verified = svc.txns.verifyProduce(transactionalId, h.producerId, h.producerEpoch, { topic, partition: index });
        if (verified !== ErrorCode.NONE) return Promise.resolve(failed(index, verified));
      }
    }
  } catch (err) {
    return Promise.resolve(failed(index, errorCodeOf(err, svc.logger, `producing to ${topic}-${index}`)));
  }
  return log.append(batches).then(
    (result) => {
      svc.appends.notify(topic, index);
      return {
        index,
        errorCode: ErrorCode.NONE,
        baseOffset: result.baseOffset,
        logAppendTimeMs: result.logAppendTime,
        logStartOffset: result.logStartOffset,
        recordErrors: [],
        errorMessage: null,
      };
    },
    (err: unknown) => failed(index, errorCodeOf(err, svc.logger, `producing to ${topic}-${index}`)),
  );
}
