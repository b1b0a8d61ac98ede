import type { Transform, TransformPlugin } from '../sdk/transform.ts';

/**
 * Kafka Connect's Filter: drops every record it sees. It is meant to be guarded by a predicate, e.g.
 * `{ type: filter, predicate: { type: is-tombstone } }` drops tombstones, and `negate: true` keeps
 * only the records the predicate holds for. Without a predicate it drops everything.
 */
export type FilterConfig = Record<string, never>;

export const filter: TransformPlugin<FilterConfig> = {
  spec: {
    name: 'filter',
    kind: 'transform',
    summary: "Drop records for which the entry's predicate holds (with negate: true, those for which it does not). Kafka Connect's Filter.",
    version: '1.0.0',
    config: { type: 'object', additionalProperties: false, properties: {} },
  },
  create(): Transform {
    return { apply: () => null };
  },
};
