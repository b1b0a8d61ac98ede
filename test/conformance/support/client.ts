/**
 * What the conformance cases ask of a Kafka client. Each client library (kafkajs, librdkafka through
 * @confluentinc/kafka-javascript) implements it once, so every case runs the same assertions with
 * every client against every broker.
 */
export type Codec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export type Isolation = 'read_committed' | 'read_uncommitted';

export interface OutMessage {
  key: string | null;
  value: string;
  headers?: Record<string, string>;
  partition?: number;
}

export interface InMessage {
  topic: string;
  partition: number;
  offset: bigint;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** A group member consuming a topic in the background. */
export interface GroupMember {
  readonly received: InMessage[];
  /** Partitions of the subscribed topic currently assigned to this member. */
  assignment(): number[];
  stop(): Promise<void>;
}

/** A consumer for a consume-transform-produce loop: no auto-commit; offsets go into a transaction. */
export interface LoopConsumer {
  readonly groupId: string;
  /** Waits until `count` messages arrived and returns them (they are not committed). */
  take(count: number, timeoutMs: number): Promise<InMessage[]>;
  stop(): Promise<void>;
}

export interface TransactionalProducer {
  begin(): Promise<void>;
  send(topic: string, messages: OutMessage[]): Promise<void>;
  /** Adds the consumer's next offsets (partition → offset) to the open transaction. */
  sendOffsets(consumer: LoopConsumer, topic: string, offsets: Map<number, bigint>): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  close(): Promise<void>;
}

export interface ConformanceClient {
  readonly name: string;
  /** Codecs this client can produce and consume without extra packages. */
  readonly codecs: readonly Codec[];
  createTopic(topic: string, partitions: number): Promise<void>;
  produce(topic: string, messages: OutMessage[], o?: { compression?: Codec; idempotent?: boolean }): Promise<void>;
  /** Reads `count` messages from the beginning with a fresh group, then stops. */
  consume(topic: string, count: number, o?: { isolation?: Isolation; timeoutMs?: number; groupId?: string }): Promise<InMessage[]>;
  member(groupId: string, topic: string): Promise<GroupMember>;
  loopConsumer(groupId: string, topic: string): Promise<LoopConsumer>;
  transactional(transactionalId: string): Promise<TransactionalProducer>;
  /** Committed offsets of a group for a topic's partitions (absent = none committed). */
  committed(groupId: string, topic: string, partitions: number): Promise<Map<number, bigint>>;
  close(): Promise<void>;
}

export type ClientFactory = (brokers: string[]) => Promise<ConformanceClient>;

/** Polls `check` until it returns true, failing with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
