import type { KafkaClient, ProduceRecord, Producer } from '../kafka/client.ts';
import { TributaryError, errorMessage } from '../sdk/errors.ts';
import type { Logger } from '../sdk/logger.ts';
import type { RecordHeader } from '../sdk/record.ts';

/** Header names on dead letters; stable, since tools (and `tributary dlq replay`) read them. */
export const DlqHeaders = {
  pipeline: 'tributary.dlq.pipeline',
  stage: 'tributary.dlq.stage',
  errorCode: 'tributary.dlq.error.code',
  errorClass: 'tributary.dlq.error.class',
  errorMessage: 'tributary.dlq.error.message',
  topic: 'tributary.dlq.original.topic',
  partition: 'tributary.dlq.original.partition',
  offset: 'tributary.dlq.original.offset',
} as const;

export type FailureStage = 'source.transform' | 'source.serialize' | 'sink.deserialize' | 'sink.transform' | 'sink.put';

const STAGES: readonly FailureStage[] = ['source.transform', 'source.serialize', 'sink.deserialize', 'sink.transform', 'sink.put'];
const DLQ_PREFIX = 'tributary.dlq.';

export interface Failure {
  stage: FailureStage;
  error: unknown;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  /** Where the record was read from (sink side only). */
  origin?: { topic: string; partition: number; offset: string };
}

/**
 * Applies `errors.tolerance` to a failed record (Kafka Connect's DeadLetterQueueReporter plus its
 * tolerance operator). `none`: the failure is rethrown and stops the task. `all`: the record goes to
 * the dead-letter topic with headers naming pipeline, stage, error and origin; with no topic
 * configured it is logged and skipped.
 */
export class DeadLetterReporter {
  private producer: Producer | undefined;
  private count = 0;

  constructor(
    private readonly opts: { pipeline: string; tolerance: 'none' | 'all'; topic?: string; client: KafkaClient; logger: Logger },
  ) {}

  get reported(): number {
    return this.count;
  }

  async report(failure: Failure): Promise<void> {
    const letter = this.letter(failure);
    if (letter === undefined) return;
    if (this.producer === undefined) {
      this.producer = this.opts.client.producer({ idempotent: true });
      await this.producer.connect();
    }
    await this.producer.send([letter]);
  }

  /**
   * Applies the tolerance like `report()` (throws for `none`, logs and counts for `all`) but returns
   * the dead letter instead of sending it, so a caller with a transaction can write it there:
   * undefined when there is no dead-letter topic.
   */
  letter(failure: Failure): ProduceRecord | undefined {
    const { tolerance, topic, logger, pipeline } = this.opts;
    const err = failure.error;
    if (tolerance === 'none') throw err;
    this.count++;
    const code = err instanceof TributaryError ? err.code : 'UNKNOWN';
    logger.warn({ stage: failure.stage, code, error: errorMessage(err), origin: failure.origin, deadLetterTopic: topic }, topic ? 'record sent to the dead-letter topic' : 'record skipped (errors.tolerance: all, no deadLetterTopic)');
    if (topic === undefined) return undefined;
    return { topic, key: failure.key, value: failure.value, headers: deadLetterHeaders(failure, pipeline) };
  }

  async close(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    await p?.disconnect();
  }
}

/**
 * The headers of a dead letter: the record's own headers (minus dead-letter headers it may carry
 * from an earlier failure, so each dead letter describes one failure), then pipeline, stage, error
 * code, class and message, and for sink-side failures the original topic, partition and offset.
 */
export function deadLetterHeaders(failure: Failure, pipeline: string): RecordHeader[] {
  const err = failure.error;
  const headers: RecordHeader[] = [
    ...stripDeadLetterHeaders(failure.headers),
    { key: DlqHeaders.pipeline, value: pipeline },
    { key: DlqHeaders.stage, value: failure.stage },
    { key: DlqHeaders.errorCode, value: err instanceof TributaryError ? err.code : 'UNKNOWN' },
    { key: DlqHeaders.errorClass, value: err instanceof Error ? err.constructor.name : typeof err },
    { key: DlqHeaders.errorMessage, value: errorMessage(err) },
  ];
  if (failure.origin) {
    headers.push(
      { key: DlqHeaders.topic, value: failure.origin.topic },
      { key: DlqHeaders.partition, value: String(failure.origin.partition) },
      { key: DlqHeaders.offset, value: failure.origin.offset },
    );
  }
  return headers;
}

/** The record's headers without Tributary's dead-letter headers (`tributary.dlq.*`). */
export function stripDeadLetterHeaders(headers: readonly RecordHeader[]): RecordHeader[] {
  return headers.filter((h) => !h.key.startsWith(DLQ_PREFIX));
}

/** What a dead letter's headers say about its failure. */
export interface DeadLetterInfo {
  pipeline?: string;
  /** Undefined when the header is missing or names no known stage (not a Tributary dead letter). */
  stage?: FailureStage;
  errorCode?: string;
  errorMessage?: string;
  /** Where a sink-side failure read the record; undefined for source-side failures. */
  origin?: { topic: string; partition: number; offset: string };
}

/** Reads the `tributary.dlq.*` headers (the last value of each, as `headerValue` does). */
export function readDeadLetter(headers: readonly RecordHeader[]): DeadLetterInfo {
  const value = (key: string): string | undefined => {
    for (let i = headers.length - 1; i >= 0; i--) {
      const h = headers[i] as RecordHeader;
      if (h.key !== key) continue;
      if (h.value === null) return undefined;
      return typeof h.value === 'string' ? h.value : h.value.toString('utf8');
    }
    return undefined;
  };
  const info: DeadLetterInfo = {};
  const pipeline = value(DlqHeaders.pipeline);
  if (pipeline !== undefined) info.pipeline = pipeline;
  const stage = value(DlqHeaders.stage);
  if (stage !== undefined && (STAGES as readonly string[]).includes(stage)) info.stage = stage as FailureStage;
  const code = value(DlqHeaders.errorCode);
  if (code !== undefined) info.errorCode = code;
  const message = value(DlqHeaders.errorMessage);
  if (message !== undefined) info.errorMessage = message;
  const topic = value(DlqHeaders.topic);
  const partition = Number(value(DlqHeaders.partition));
  const offset = value(DlqHeaders.offset);
  if (topic !== undefined && topic !== '' && Number.isSafeInteger(partition) && partition >= 0 && offset !== undefined && /^\d+$/.test(offset)) {
    info.origin = { topic, partition, offset };
  }
  return info;
}
