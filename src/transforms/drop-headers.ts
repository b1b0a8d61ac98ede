import type { TributaryRecord } from '../sdk/record.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';

/** Kafka Connect's DropHeaders: removes every header with one of the given names. */
export type DropHeadersConfig = {
  headers: string[];
};

export const dropHeaders: TransformPlugin<DropHeadersConfig> = {
  spec: {
    name: 'drop-headers',
    kind: 'transform',
    summary: "Remove headers by name (Kafka Connect's DropHeaders).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['headers'],
      properties: {
        headers: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          minItems: 1,
          uniqueItems: true,
          description: 'Header names to remove (case-sensitive); every header of each name goes.',
        },
      },
    },
  },
  create(ctx): Transform {
    const names = new Set(ctx.config.headers);
    return {
      apply<R extends TributaryRecord>(record: R): R {
        if (!record.headers.some((h) => names.has(h.key))) return record;
        return { ...record, headers: record.headers.filter((h) => !names.has(h.key)) };
      },
    };
  },
};
