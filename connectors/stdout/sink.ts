import { TributaryError, errorMessage, type PartitionOffset, type SinkRecord, type SinkTask, type SinkTaskContext } from '../../src/sdk/index.ts';
import { resolveStdoutSinkConfig, type StdoutSinkConfig } from './config.ts';
import { recordLine } from '../../src/sdk/index.ts';

/** Where lines go: process.stdout by default; any stream with a callback-style write will do. */
export interface OutputStream {
  write(chunk: string, callback: (err?: Error | null) => void): boolean;
}

// The reader went away (`tributary run ... | head`); writing again cannot succeed.
const PERMANENT_WRITE_ERRORS = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/**
 * Prints each record as one JSON line. At-least-once: `put()` resolves once the stream has accepted
 * the batch (its write callback ran), and records since the last offset commit print again after a
 * restart. The stream belongs to the caller: `stop()` never ends it.
 */
export class StdoutSinkTask implements SinkTask {
  private readonly config: StdoutSinkConfig;
  private readonly out: OutputStream;
  private stopped = false;

  constructor(ctx: SinkTaskContext<StdoutSinkConfig>, out: OutputStream) {
    this.config = resolveStdoutSinkConfig(ctx.config);
    this.out = out;
  }

  async start(): Promise<void> {}

  async put(records: SinkRecord[], _position: PartitionOffset[]): Promise<void> {
    if (this.stopped) throw new TributaryError('INTERNAL', 'stdout sink: called after stop()');
    const lines: string[] = [];
    const rejected: Array<{ topic: string; partition: number; offset: string; reason: string }> = [];
    for (const record of records) {
      try {
        lines.push(recordLine(record, this.config.format));
      } catch (err) {
        rejected.push({ topic: record.topic, partition: record.partition, offset: record.offset, reason: errorMessage(err) });
      }
    }
    if (rejected.length > 0) {
      throw new TributaryError('SINK_RECORD_REJECTED', `printing batch: ${rejected.length} record(s) cannot be written as JSON lines: ${rejected[0]?.reason ?? ''}`, {
        details: { offsets: rejected },
      });
    }
    if (lines.length === 0) return;
    // One write per batch keeps a batch's lines together when other output shares the stream.
    await new Promise<void>((resolve, reject) => {
      this.out.write(`${lines.join('\n')}\n`, (err) => (err ? reject(writeError(err)) : resolve()));
    });
  }

  /** Safe twice. */
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

function writeError(err: Error): TributaryError {
  const code = (err as { code?: unknown }).code;
  return new TributaryError('SINK_FAILED', `printing batch: ${err.message}`, {
    cause: err,
    retriable: !(typeof code === 'string' && PERMANENT_WRITE_ERRORS.has(code)),
  });
}
