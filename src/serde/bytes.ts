import { TributaryError } from '../sdk/errors.ts';
import type { Schema } from '../sdk/schema.ts';
import type { SerdeCallContext, SerdePlugin } from '../sdk/serde.ts';

/**
 * Raw bytes, passed through untouched, like Kafka Connect's ByteArrayConverter: a Buffer (or any
 * Uint8Array, viewed without copying) is written as is and read back as a Buffer with Connect's
 * optional bytes schema. Anything else, or a schema of another type, is a SERIALIZATION_FAILED.
 */
export type BytesSerdeConfig = Record<string, never>;

export const bytesSerde: SerdePlugin<BytesSerdeConfig> = {
  spec: {
    name: 'bytes',
    kind: 'serde',
    summary: "Raw bytes passed through unchanged (Kafka Connect's ByteArrayConverter).",
    version: '1.0.0',
    config: { type: 'object', additionalProperties: false, properties: {} },
  },
  createSerializer() {
    return {
      serialize(data: unknown, schema: Schema | undefined, call: SerdeCallContext): Buffer | null {
        if (schema !== undefined && schema.type !== 'bytes') {
          throw new TributaryError('SERIALIZATION_FAILED', `serializing ${part(call)} as bytes: the schema is ${schema.type}, not bytes`);
        }
        if (data === null || data === undefined) return null;
        if (Buffer.isBuffer(data)) return data;
        if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        throw new TributaryError('SERIALIZATION_FAILED', `serializing ${part(call)} as bytes: expected a Buffer, got ${Array.isArray(data) ? 'an array' : typeof data}`);
      },
    };
  },
  createDeserializer() {
    // One schema object for every record, so per-schema caches downstream hit.
    const schema: Schema = { type: 'bytes', optional: true };
    return {
      deserialize: (bytes: Buffer | null) => ({ data: bytes, schema }),
    };
  },
};

function part(ctx: SerdeCallContext): string {
  return `${ctx.isKey ? 'key' : 'value'} of topic "${ctx.topic}"`;
}
