import type { SinkRecord } from '../../../src/sdk/index.ts';

/** A sink record with sensible defaults, for tests of sinks. */
export function sinkRecord(overrides: Omit<Partial<SinkRecord>, 'offset'> & { offset: string | number }): SinkRecord {
  return {
    topic: 'orders',
    partition: 0,
    key: null,
    value: null,
    timestamp: 1_700_000_000_000,
    headers: [],
    ...overrides,
    offset: String(overrides.offset),
  };
}
