import { describe, expect, it } from 'vitest';
import { timestampRouter } from '../../src/transforms/timestamp-router.ts';
import { expectFailure } from './plugin-context.ts';
import { applied, record, transformOf } from './records.ts';

const T = Date.UTC(2024, 2, 10, 23, 59, 59);

describe('timestamp-router', () => {
  it.each<[Record<string, unknown>, string]>([
    [{}, 'logs-20240310'],
    [{ timestampFormat: 'yyyy.MM' }, 'logs-2024.03'],
    [{ topicFormat: 'archive.${timestamp}.${topic}', timestampFormat: "yyyy-MM-dd'T'HH" }, 'archive.2024-03-10T23.logs'],
  ])('%j routes to %s', (config, topic) => {
    expect(applied(timestampRouter, config, record({ a: 1 }, { topic: 'logs', timestamp: T })).topic).toBe(topic);
  });

  it('fails a record without a timestamp instead of using the wall clock', () => {
    expectFailure(() => transformOf(timestampRouter, {}).apply(record({ a: 1 }, { topic: 'logs' })), 'TRANSFORM_FAILED', /record has no timestamp/);
  });

  it('fails a timestamp outside the range of dates', () => {
    expectFailure(() => transformOf(timestampRouter, {}).apply(record({ a: 1 }, { topic: 'logs', timestamp: 1e300 })), 'TRANSFORM_FAILED', /is not a time/);
  });

  it('rejects a bad pattern at construction', () => {
    expectFailure(() => transformOf(timestampRouter, { timestampFormat: "yyyy'" }), 'CONFIG_INVALID', /quoted literal is not closed/);
  });
});
