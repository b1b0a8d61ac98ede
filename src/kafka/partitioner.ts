import { partitionForKey } from './murmur2.ts';

/**
 * Partitioners for Tributary's producers. The shapes below are structural copies of what kafkajs passes
 * to a custom partitioner (`createPartitioner`), declared here so this module does not depend on any
 * client library and a librdkafka adapter can reuse the same placement rules.
 *
 * Rules, in order:
 * 1. An explicit `partition` on the record is used as given (the caller owns that choice).
 * 2. A non-null key goes to `toPositive(murmur2(keyBytes)) % numPartitions`, the Java client's rule, so a
 *    key lands where a Java producer would put it. `numPartitions` counts ALL partitions, including ones
 *    without a leader right now: a key's partition must not move while a broker restarts.
 * 3. A null key is spread round-robin over the partitions that have a leader (all of them if none has),
 *    one counter per topic. Java 3.x uses sticky batches instead; round-robin spreads evenly and needs
 *    no batch boundary, which kafkajs does not expose to a partitioner.
 */

export interface PartitionInfo {
  partitionId: number;
  /** Broker id of the leader; negative when the partition has no leader. */
  leader: number;
}

export interface PartitionerInput {
  topic: string;
  partitionMetadata: readonly PartitionInfo[];
  message: { key?: Buffer | string | null; partition?: number | null };
}

export type Partitioner = (input: PartitionerInput) => number;

export interface PartitionerOptions {
  /**
   * Picks where each topic's round-robin starts, as a fraction in [0, 1). Defaults to Math.random so
   * many short-lived producers do not all begin at partition 0; tests inject a fixed value.
   */
  random?: () => number;
}

export function createPartitioner(options: PartitionerOptions = {}): Partitioner {
  const random = options.random ?? Math.random;
  // Next round-robin position per topic. Invariant: only ever grows; taken modulo the live count.
  const counters = new Map<string, number>();

  return ({ topic, partitionMetadata, message }) => {
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    const numPartitions = partitionMetadata.length;
    if (numPartitions === 0) {
      throw new RangeError(`partitioning a record for ${topic}: the topic has no partitions in metadata`);
    }
    const key = message.key;
    if (key !== undefined && key !== null) {
      return partitionForKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key, numPartitions);
    }
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    const candidates = (available.length > 0 ? available : partitionMetadata).map((p) => p.partitionId).sort((a, b) => a - b);
    let next = counters.get(topic);
    if (next === undefined) next = Math.floor(random() * candidates.length);
    counters.set(topic, next + 1);
    return candidates[next % candidates.length]!;
  };
}

/** Factory in the form kafkajs's `createPartitioner` option expects: one partitioner state per producer. */
export const tributaryPartitioner = (): Partitioner => createPartitioner();
