import { describe, expect, it } from 'vitest';
import { DlqHeaders, deadLetterHeaders, readDeadLetter, stripDeadLetterHeaders } from '../../src/runtime/dead-letter.ts';
import { decodePayload } from '../../src/runtime/dlq-replay.ts';
import { TributaryError } from '../../src/sdk/index.ts';

describe('dead-letter headers', () => {
  it('name pipeline, stage, error and, for sink-side failures, the origin, after the record\'s own headers', () => {
    const headers = deadLetterHeaders(
      {
        stage: 'sink.put',
        error: new TributaryError('SINK_RECORD_REJECTED', 'inserting row: duplicate key'),
        key: null,
        value: null,
        headers: [{ key: 'trace', value: 'abc' }],
        origin: { topic: 'orders', partition: 2, offset: '41' },
      },
      'shop',
    );
    expect(headers).toEqual([
      { key: 'trace', value: 'abc' },
      { key: DlqHeaders.pipeline, value: 'shop' },
      { key: DlqHeaders.stage, value: 'sink.put' },
      { key: DlqHeaders.errorCode, value: 'SINK_RECORD_REJECTED' },
      { key: DlqHeaders.errorClass, value: 'TributaryError' },
      { key: DlqHeaders.errorMessage, value: 'inserting row: duplicate key' },
      { key: DlqHeaders.topic, value: 'orders' },
      { key: DlqHeaders.partition, value: '2' },
      { key: DlqHeaders.offset, value: '41' },
    ]);
  });

  it('describe one failure: dead-letter headers of an earlier failure are dropped, plain errors are UNKNOWN', () => {
    const earlier = [{ key: DlqHeaders.stage, value: 'sink.deserialize' }, { key: DlqHeaders.topic, value: 'old' }, { key: 'keep', value: Buffer.from('me') }];
    const headers = deadLetterHeaders({ stage: 'source.transform', error: new RangeError('boom'), key: null, value: null, headers: earlier }, 'p');
    expect(headers.filter((h) => h.key === DlqHeaders.stage)).toEqual([{ key: DlqHeaders.stage, value: 'source.transform' }]);
    expect(headers.some((h) => h.key === DlqHeaders.topic)).toBe(false);
    expect(headers[0]).toEqual({ key: 'keep', value: Buffer.from('me') });
    expect(readDeadLetter(headers)).toEqual({ pipeline: 'p', stage: 'source.transform', errorCode: 'UNKNOWN', errorMessage: 'boom' });
    expect(headers.find((h) => h.key === DlqHeaders.errorClass)?.value).toBe('RangeError');
  });

  it('read back from the bytes a consumer sees, origin included', () => {
    const wire = deadLetterHeaders(
      { stage: 'sink.deserialize', error: new TributaryError('DESERIALIZATION_FAILED', 'bad'), key: null, value: null, headers: [], origin: { topic: 't', partition: 0, offset: '9007199254740993' } },
      'p',
    ).map((h) => ({ key: h.key, value: Buffer.from(String(h.value)) }));
    expect(readDeadLetter(wire)).toEqual({
      pipeline: 'p',
      stage: 'sink.deserialize',
      errorCode: 'DESERIALIZATION_FAILED',
      errorMessage: 'bad',
      origin: { topic: 't', partition: 0, offset: '9007199254740993' },
    });
  });

  it('ignore an unknown stage and an incomplete origin', () => {
    expect(readDeadLetter([{ key: DlqHeaders.stage, value: 'somewhere' }])).toEqual({});
    expect(readDeadLetter([{ key: DlqHeaders.topic, value: 't' }, { key: DlqHeaders.partition, value: 'x' }, { key: DlqHeaders.offset, value: '1' }])).toEqual({});
  });

  it('are stripped, and only they', () => {
    expect(stripDeadLetterHeaders([{ key: 'tributary.dlq.stage', value: 'x' }, { key: 'tributary.error', value: 'y' }, { key: 'a', value: null }])).toEqual([
      { key: 'tributary.error', value: 'y' },
      { key: 'a', value: null },
    ]);
  });
});

describe('source-side dead-letter payloads', () => {
  it('read back as the runtime wrote them: JSON, else text, else bytes', () => {
    expect(decodePayload(Buffer.from('{"id":7,"big":12345678901234567890}'))).toEqual({ id: 7, big: 12345678901234567890n });
    expect(decodePayload(Buffer.from('plain text'))).toBe('plain text');
    expect(decodePayload(Buffer.from([0xff, 0xfe, 0x00]))).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
    expect(decodePayload(null)).toBeNull();
    // The lossy corner the rendering has: text that is valid JSON comes back parsed.
    expect(decodePayload(Buffer.from('17'))).toBe(17);
  });
});
