import { TributaryError, errorMessage } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { Transform, TransformPlugin } from '../sdk/transform.ts';
import { compileDateFormat, type DateFormat } from './date-format.ts';

/**
 * Kafka Connect's TimestampRouter: the topic becomes `topicFormat` with `${topic}` replaced by the
 * current topic and `${timestamp}` by the record timestamp formatted with `timestampFormat` (UTC),
 * e.g. `logs` -> `logs-20240310` for daily indices or tables.
 *
 * A record without a timestamp is a TRANSFORM_FAILED (Connect fails too): routing it by the wall
 * clock instead would put a replayed record in a different topic than the first time.
 */
export type TimestampRouterConfig = {
  topicFormat?: string;
  timestampFormat?: string;
};

const NAME = 'timestamp-router';

export const timestampRouter: TransformPlugin<TimestampRouterConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: "Rename the topic after the record timestamp, e.g. logs -> logs-20240310 (Kafka Connect's TimestampRouter).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        topicFormat: {
          type: 'string',
          minLength: 1,
          default: '${topic}-${timestamp}',
          description: 'New topic name; `${topic}` is the current topic, `${timestamp}` the formatted record timestamp.',
        },
        timestampFormat: { type: 'string', minLength: 1, default: 'yyyyMMdd', description: 'SimpleDateFormat pattern for `${timestamp}`, in UTC.' },
      },
    },
  },
  create(ctx) {
    return new TimestampRouter(ctx.config);
  },
};

class TimestampRouter implements Transform {
  private readonly topicFormat: string;
  private readonly format: DateFormat;

  constructor(config: TimestampRouterConfig) {
    this.topicFormat = config.topicFormat ?? '${topic}-${timestamp}';
    try {
      this.format = compileDateFormat(config.timestampFormat ?? 'yyyyMMdd');
    } catch (err) {
      throw new TributaryError('CONFIG_INVALID', `configuring ${NAME}: timestampFormat ${errorMessage(err)}`, { cause: err });
    }
  }

  apply<R extends TributaryRecord>(record: R): R {
    const ts = record.timestamp;
    if (typeof ts !== 'number' || !Number.isFinite(ts) || Math.abs(ts) > 8.64e15) {
      throw new TributaryError('TRANSFORM_FAILED', `routing by timestamp: record ${ts === undefined ? 'has no timestamp' : `timestamp ${String(ts)} is not a time`}`, {
        details: { transform: NAME },
      });
    }
    const stamp = this.format.format(ts);
    const topic = this.topicFormat.replaceAll('${topic}', record.topic).replaceAll('${timestamp}', stamp);
    return topic === record.topic ? record : { ...record, topic };
  }
}
