import { TributaryError, errorMessage } from '../sdk/errors.ts';
import type { Schema } from '../sdk/schema.ts';
import type { SerdeCallContext, SerdePlugin } from '../sdk/serde.ts';
import { decodeUtf8, encodeUtf8 } from './utf8.ts';

/**
 * Text, like Kafka Connect's StringConverter. Strings are written in `encoding`; numbers, bigints and
 * booleans as their decimal/`true`/`false` text (Connect writes `toString()`); anything else is a
 * SERIALIZATION_FAILED rather than "[object Object]". Reading yields a string with Connect's optional
 * string schema. Text the encoding cannot hold, and bytes that are not valid in it, fail instead of
 * being replaced with substitutes.
 */
export type StringSerdeConfig = {
  encoding?: StringEncoding;
};

export type StringEncoding = 'utf8' | 'utf16le' | 'latin1' | 'ascii';

const ENCODINGS: readonly StringEncoding[] = ['utf8', 'utf16le', 'latin1', 'ascii'];

export const stringSerde: SerdePlugin<StringSerdeConfig> = {
  spec: {
    name: 'string',
    kind: 'serde',
    summary: "Text in a character encoding (Kafka Connect's StringConverter).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        encoding: { type: 'string', enum: [...ENCODINGS], default: 'utf8', description: 'Character encoding of the bytes.' },
      },
    },
  },
  createSerializer(ctx) {
    const encode = encoder(ctx.config.encoding ?? 'utf8');
    return {
      serialize(data: unknown, _schema: Schema | undefined, call: SerdeCallContext): Buffer | null {
        if (data === null || data === undefined) return null;
        if (typeof data !== 'string' && typeof data !== 'number' && typeof data !== 'bigint' && typeof data !== 'boolean') {
          throw new TributaryError('SERIALIZATION_FAILED', `serializing ${part(call)} as a string: expected a string, number or boolean, got ${data instanceof Uint8Array ? 'bytes' : Array.isArray(data) ? 'an array' : typeof data}`);
        }
        try {
          return encode(String(data));
        } catch (err) {
          throw new TributaryError('SERIALIZATION_FAILED', `serializing ${part(call)} as a string: ${errorMessage(err)}`, { cause: err });
        }
      },
    };
  },
  createDeserializer(ctx) {
    const decode = decoder(ctx.config.encoding ?? 'utf8');
    // One schema object for every record, so per-schema caches downstream hit.
    const schema: Schema = { type: 'string', optional: true };
    return {
      deserialize(bytes: Buffer | null, call: SerdeCallContext) {
        if (bytes === null) return { data: null, schema };
        try {
          return { data: decode(bytes), schema };
        } catch (err) {
          throw new TributaryError('DESERIALIZATION_FAILED', `deserializing ${part(call)} as a string: ${errorMessage(err)}`, { cause: err });
        }
      },
    };
  },
};

function part(ctx: SerdeCallContext): string {
  return `${ctx.isKey ? 'key' : 'value'} of topic "${ctx.topic}"`;
}

const NON_ASCII = /[\u0080-\uffff]/;
const NON_LATIN1 = /[\u0100-\uffff]/;

function encoder(encoding: StringEncoding): (text: string) => Buffer {
  switch (encoding) {
    case 'utf8':
      return encodeUtf8;
    case 'utf16le':
      return (text) => Buffer.from(text, 'utf16le');
    case 'latin1':
    case 'ascii':
      return (text) => {
        const bad = (encoding === 'ascii' ? NON_ASCII : NON_LATIN1).exec(text);
        if (bad !== null) throw new Error(`character ${JSON.stringify(bad[0])} at index ${bad.index} has no ${encoding} encoding`);
        return Buffer.from(text, 'latin1');
      };
  }
}

function decoder(encoding: StringEncoding): (bytes: Buffer) => string {
  switch (encoding) {
    case 'utf8':
      return decodeUtf8;
    case 'utf16le':
      return (bytes) => {
        if (bytes.length % 2 !== 0) throw new Error(`${bytes.length} bytes is not a whole number of UTF-16 code units`);
        return bytes.toString('utf16le');
      };
    case 'latin1':
      return (bytes) => bytes.toString('latin1');
    case 'ascii':
      return (bytes) => {
        const bad = bytes.findIndex((b) => b > 0x7f);
        if (bad >= 0) throw new Error(`byte 0x${(bytes[bad] ?? 0).toString(16)} at offset ${bad} is not ASCII`);
        return bytes.toString('latin1');
      };
  }
}
