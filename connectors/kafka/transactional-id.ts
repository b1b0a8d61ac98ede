import type { TopicPartition } from '../../src/sdk/index.ts';

/**
 * The transactional id of the producer that writes what one input partition yields:
 * `tributary-<pipeline>-<sink>-<topic>-<partition>`.
 *
 * Why per input partition and not per worker: a zombie (a member that lost a partition but has not
 * noticed yet) must not commit output and offsets for that partition. Kafka 2.5+ clients prevent
 * that with one id per worker plus the group generation in TxnOffsetCommit (KIP-447); kafkajs sends
 * TxnOffsetCommit v0-v1, without the generation, so the coordinator cannot tell the zombie from the
 * new owner. With an id per input partition, whoever owns the partition now initialized the id last
 * and the zombie's epoch is stale: its next transactional request fails with KAFKA_FENCED. The
 * cost is one producer (and its connections) per assigned partition.
 *
 * Stable across restarts and members: it must be the same wherever the partition goes.
 */
export function transactionalId(pipeline: string, sink: string, tp: TopicPartition): string {
  return `tributary-${pipeline}-${sink}-${tp.topic}-${tp.partition}`;
}
