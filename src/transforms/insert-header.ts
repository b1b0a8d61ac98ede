import type { TributaryRecord } from '../sdk/record.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';

/**
 * Kafka Connect's InsertHeader: appends a header with a fixed value to every record. Existing
 * headers of the same name are kept (Kafka headers may repeat); readers that want one value take
 * the last, which is this one.
 */
export type InsertHeaderConfig = {
  header: string;
  value: string;
};

export const insertHeader: TransformPlugin<InsertHeaderConfig> = {
  spec: {
    name: 'insert-header',
    kind: 'transform',
    summary: "Add a header with a fixed value to every record (Kafka Connect's InsertHeader).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      required: ['header', 'value'],
      properties: {
        header: { type: 'string', minLength: 1, description: 'Header name.' },
        value: { type: 'string', description: 'Header value (text, written as UTF-8).' },
      },
    },
  },
  create(ctx): Transform {
    const header = { key: ctx.config.header, value: ctx.config.value };
    return {
      apply: <R extends TributaryRecord>(record: R): R => ({ ...record, headers: [...record.headers, { ...header }] }),
    };
  },
};
