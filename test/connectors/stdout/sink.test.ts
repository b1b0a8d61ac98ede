import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { silentLogger, TributaryError, type SinkTaskContext } from '../../../src/sdk/index.ts';
import { createStdoutSink, type StdoutSinkConfig } from '../../../connectors/stdout/index.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { sinkRecord } from '../support/sink-records.ts';

/** A real Writable that keeps what it was given; `hold` delays write callbacks until `release()`. */
class CapturingStream extends Writable {
  readonly chunks: string[] = [];
  hold = false;
  failWith: Error | undefined;
  private held: Array<() => void> = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.failWith !== undefined) {
      callback(this.failWith);
      return;
    }
    this.chunks.push(chunk.toString('utf8'));
    if (this.hold) this.held.push(() => callback());
    else callback();
  }

  release(): void {
    for (const cb of this.held.splice(0)) cb();
  }

  get text(): string {
    return this.chunks.join('');
  }
}

function task(out: CapturingStream, config: Partial<StdoutSinkConfig> = {}) {
  const ctx: SinkTaskContext<StdoutSinkConfig> = {
    config: config as StdoutSinkConfig,
    pipeline: 'test-pipeline',
    logger: silentLogger,
    clock: new ManualClock(),
    sinkName: 'console',
    group: 'tributary-test-pipeline-console',
    workerId: 0,
  };
  return createStdoutSink(out).createTask(ctx);
}

describe('stdout sink', () => {
  it('prints each record as one envelope line by default, one write per batch', async () => {
    const out = new CapturingStream();
    const sink = task(out);
    await sink.start();
    await sink.put(
      [
        sinkRecord({ topic: 'users', partition: 1, offset: 10, key: '7', value: { id: 7n, avatar: Buffer.from([1, 2]) } }),
        sinkRecord({ topic: 'users', partition: 1, offset: 11, key: '8', value: null, headers: [{ key: 'op', value: 'delete' }] }),
      ],
      [],
    );
    await sink.stop();
    expect(out.chunks).toHaveLength(1);
    expect(out.text).toBe(
      '{"topic":"users","partition":1,"offset":"10","key":"7","value":{"id":7,"avatar":"AQI="},"timestamp":1700000000000}\n' +
        '{"topic":"users","partition":1,"offset":"11","key":"8","value":null,"headers":[{"key":"op","value":"delete"}],"timestamp":1700000000000}\n',
    );
  });

  it('prints only values with format: value', async () => {
    const out = new CapturingStream();
    const sink = task(out, { format: 'value' });
    await sink.start();
    await sink.put([sinkRecord({ offset: 0, value: { a: 1 } }), sinkRecord({ offset: 1, value: 'text' })], []);
    expect(out.text).toBe('{"a":1}\n"text"\n');
  });

  it('writes nothing for an empty batch', async () => {
    const out = new CapturingStream();
    const sink = task(out);
    await sink.put([], []);
    expect(out.chunks).toEqual([]);
  });

  it('resolves put only after the stream accepted the batch', async () => {
    const out = new CapturingStream();
    out.hold = true;
    const sink = task(out);
    let done = false;
    const put = sink.put([sinkRecord({ offset: 0, value: 1 })], []).then(() => {
      done = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    out.release();
    await put;
    expect(done).toBe(true);
  });

  it('fails a batch retriably on a write error, permanently on a broken pipe', async () => {
    const transient = new CapturingStream();
    transient.failWith = Object.assign(new Error('resource temporarily unavailable'), { code: 'EAGAIN' });
    transient.on('error', () => {});
    const e1 = await task(transient)
      .put([sinkRecord({ offset: 0, value: 1 })], [])
      .catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(TributaryError);
    expect((e1 as TributaryError).code).toBe('SINK_FAILED');
    expect((e1 as TributaryError).retriable).toBe(true);

    const broken = new CapturingStream();
    broken.failWith = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    broken.on('error', () => {});
    const e2 = await task(broken)
      .put([sinkRecord({ offset: 0, value: 1 })], [])
      .catch((e: unknown) => e);
    expect((e2 as TributaryError).retriable).toBe(false);
    expect((e2 as TributaryError).message).toBe('printing batch: write EPIPE');
  });

  it('rejects a record it cannot print, naming its offset', async () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    const out = new CapturingStream();
    const err = await task(out)
      .put([sinkRecord({ offset: 0, value: 1 }), sinkRecord({ offset: 1, value: loop })], [])
      .catch((e: unknown) => e);
    expect((err as TributaryError).code).toBe('SINK_RECORD_REJECTED');
    expect((err as TributaryError).details.offsets).toEqual([{ topic: 'orders', partition: 0, offset: '1', reason: expect.stringMatching(/cycle/) }]);
    expect(out.chunks).toEqual([]);
  });

  it('is safe to stop twice, does not end the stream, and refuses puts after stop', async () => {
    const out = new CapturingStream();
    const sink = task(out);
    await sink.stop();
    await sink.stop();
    expect(out.writableEnded).toBe(false);
    const err = await sink.put([sinkRecord({ offset: 0, value: 1 })], []).catch((e: unknown) => e);
    expect((err as TributaryError).code).toBe('INTERNAL');
  });
});
