import type { PredicatePlugin } from '../../sdk/transform.ts';

/** Kafka Connect's RecordIsTombstone: true when the record value is null (a delete marker). */
export type IsTombstoneConfig = Record<string, never>;

export const isTombstone: PredicatePlugin<IsTombstoneConfig> = {
  spec: {
    name: 'is-tombstone',
    kind: 'predicate',
    summary: "True for tombstones, records whose value is null (Kafka Connect's RecordIsTombstone).",
    version: '1.0.0',
    config: { type: 'object', additionalProperties: false, properties: {} },
  },
  create() {
    // undefined counts too: a record built in JS without a value is as empty as a null one.
    return { test: (record) => record.value === null || record.value === undefined };
  },
};
