import type { ConsumedMessage, ProduceRecord } from '../kafka/client.ts';
import type { Deserializer, Serializer } from '../sdk/serde.ts';
import { TributaryError, wrapError } from '../sdk/errors.ts';
import type { SinkRecord, TributaryRecord } from '../sdk/record.ts';

/**
 * Key and value (de)serializers of one pipeline, configured separately like Kafka Connect's
 * key.converter and value.converter. Failures come out as SERIALIZATION_FAILED /
 * DESERIALIZATION_FAILED so the runtime can dead-letter the record.
 */
export class RecordCodec {
  constructor(
    private readonly serializers: { key: Serializer; value: Serializer },
    private readonly deserializers: { key: Deserializer; value: Deserializer },
  ) {}

  async encode(record: TributaryRecord): Promise<ProduceRecord> {
    const headers = record.headers;
    try {
      const key = await this.serializers.key.serialize(record.key ?? null, record.keySchema, { topic: record.topic, isKey: true, headers });
      const value = await this.serializers.value.serialize(record.value ?? null, record.valueSchema, { topic: record.topic, isKey: false, headers });
      const out: ProduceRecord = { topic: record.topic, key, value, headers };
      if (record.partition !== undefined) out.partition = record.partition;
      if (record.timestamp !== undefined) out.timestamp = record.timestamp;
      return out;
    } catch (err) {
      throw asCode(err, 'SERIALIZATION_FAILED', `serializing record for topic ${record.topic}`);
    }
  }

  async decode(topic: string, partition: number, m: ConsumedMessage): Promise<SinkRecord> {
    try {
      const key = await this.deserializers.key.deserialize(m.key, { topic, isKey: true, headers: m.headers });
      const value = await this.deserializers.value.deserialize(m.value, { topic, isKey: false, headers: m.headers });
      const record: SinkRecord = { topic, partition, offset: m.offset, timestamp: m.timestamp, key: key.data, value: value.data, headers: m.headers };
      if (key.schema) record.keySchema = key.schema;
      if (value.schema) record.valueSchema = value.schema;
      return record;
    } catch (err) {
      throw asCode(err, 'DESERIALIZATION_FAILED', `deserializing ${topic}[${partition}]@${m.offset}`);
    }
  }
}

function asCode(err: unknown, code: 'SERIALIZATION_FAILED' | 'DESERIALIZATION_FAILED', context: string): TributaryError {
  if (err instanceof TributaryError && err.code === code) return err;
  return wrapError(code, context, err);
}
