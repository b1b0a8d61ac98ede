import type { PredicatePlugin } from '../../sdk/transform.ts';

/** Kafka Connect's HasHeaderKey: true when at least one header has the name, whatever its value. */
export type HasHeaderConfig = {
  name: string;
};

export const hasHeader: PredicatePlugin<HasHeaderConfig> = {
  spec: {
    name: 'has-header',
    kind: 'predicate',
    summary: "True for records with at least one header of the given name (Kafka Connect's HasHeaderKey).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, description: 'Header name (case-sensitive). A header with a null value counts.' },
      },
    },
  },
  create(ctx) {
    const name = ctx.config.name;
    return { test: (record) => record.headers.some((h) => h.key === name) };
  },
};
