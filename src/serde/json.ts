import { TributaryError, errorMessage } from '../sdk/errors.ts';
import type { Schema } from '../sdk/schema.ts';
import type { Deserialized, Deserializer, SerdeCallContext, SerdeContext, SerdePlugin, Serializer } from '../sdk/serde.ts';
import { ConnectDataReader, ConnectDataWriter, type ConnectDataOptions } from './connect-data.ts';
import { fromConnectJsonSchema, toConnectJsonSchema } from './connect-schema.ts';
import { JsonNumber, endOfJsonValue, parseJson, stringifyJson } from '../sdk/json-text.ts';
import { inferSchema } from './schema-inference.ts';
import { decodeUtf8 } from './utf8.ts';

/**
 * JSON, in Kafka Connect JsonConverter's two shapes.
 *
 * `schemas: false` (default): the value as plain JSON. bigint becomes a JSON number with all its
 * digits, Buffers base64 strings, Dates ISO-8601 strings. Reading turns integers beyond 2^53 into
 * bigint. The record's schema is neither written nor consulted (unlike Connect with
 * schemas.enable=false, which still writes Decimals as base64 and dates as numbers: here a value reads
 * as it looks). Empty bytes read as null, as in Connect.
 *
 * `schemas: true`: Connect's `{"schema": ..., "payload": ...}` envelope, as JsonConverter writes it
 * with schemas.enable=true, so Connect sinks and sources interoperate. A record without a schema gets
 * one inferred from its value (schema-inference.ts). Reading requires exactly those two properties, as
 * Connect does; an envelope with a null schema yields schemaless data.
 *
 * Null data is null bytes (a tombstone) in both shapes, and null bytes read as null.
 */
export type JsonSerdeConfig = {
  schemas?: boolean;
  decimalFormat?: 'base64' | 'numeric';
  replaceNullWithDefault?: boolean;
  schemaCacheSize?: number;
};

export const jsonSerde: SerdePlugin<JsonSerdeConfig> = {
  spec: {
    name: 'json',
    kind: 'serde',
    summary: "JSON: plain, or Kafka Connect JsonConverter's schema+payload envelope (schemas.enable=true).",
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        schemas: {
          type: 'boolean',
          default: false,
          description: "Write and read Connect's {\"schema\", \"payload\"} envelope (JsonConverter schemas.enable=true). Records without a schema get one inferred from the value.",
        },
        decimalFormat: {
          type: 'string',
          enum: ['base64', 'numeric'],
          default: 'base64',
          description: 'With schemas: how Decimal fields are written: base64 of the unscaled bytes (Connect\'s default) or a JSON number (decimal.format=NUMERIC). Both are read.',
        },
        replaceNullWithDefault: {
          type: 'boolean',
          default: true,
          description: "With schemas: write and read a null field that has a schema default as that default (Connect's replace.null.with.default).",
        },
        schemaCacheSize: {
          type: 'integer',
          minimum: 1,
          default: 1000,
          description: "With schemas: how many distinct envelope schemas the reader keeps parsed (Connect's schemas.cache.size).",
        },
      },
    },
  },
  createSerializer(ctx) {
    return ctx.config.schemas === true ? new EnvelopeSerializer(options(ctx)) : new PlainSerializer();
  },
  createDeserializer(ctx) {
    return ctx.config.schemas === true ? new EnvelopeDeserializer(options(ctx), ctx.config.schemaCacheSize ?? 1000) : new PlainDeserializer();
  },
};

function options(ctx: SerdeContext<JsonSerdeConfig>): ConnectDataOptions {
  return { decimalFormat: ctx.config.decimalFormat ?? 'base64', replaceNullWithDefault: ctx.config.replaceNullWithDefault ?? true };
}

function part(ctx: SerdeCallContext): string {
  return `${ctx.isKey ? 'key' : 'value'} of topic "${ctx.topic}"`;
}

function serializationError(ctx: SerdeCallContext, err: unknown): TributaryError {
  return new TributaryError('SERIALIZATION_FAILED', `serializing ${part(ctx)} as JSON: ${errorMessage(err)}`, { cause: err });
}

function deserializationError(ctx: SerdeCallContext, err: unknown): TributaryError {
  return new TributaryError('DESERIALIZATION_FAILED', `deserializing ${part(ctx)} from JSON: ${errorMessage(err)}`, { cause: err });
}

class PlainSerializer implements Serializer {
  serialize(data: unknown, _schema: Schema | undefined, ctx: SerdeCallContext): Buffer | null {
    if (data === null || data === undefined) return null;
    try {
      return Buffer.from(stringifyJson(data), 'utf8');
    } catch (err) {
      throw serializationError(ctx, err);
    }
  }
}

class PlainDeserializer implements Deserializer {
  deserialize(bytes: Buffer | null, ctx: SerdeCallContext): Deserialized {
    if (bytes === null || bytes.length === 0) return { data: null };
    try {
      return { data: parseJson(jsonText(bytes)) };
    } catch (err) {
      throw deserializationError(ctx, err);
    }
  }
}

class EnvelopeSerializer implements Serializer {
  private readonly writer: ConnectDataWriter;
  /** Schema JSON text per schema object: records of one stream share a schema, so it is encoded once. */
  private readonly schemaText = new WeakMap<Schema, string>();

  constructor(options: ConnectDataOptions) {
    this.writer = new ConnectDataWriter(options);
  }

  serialize(data: unknown, schema: Schema | undefined, ctx: SerdeCallContext): Buffer | null {
    if (data === null || data === undefined) return null;
    try {
      const effective = schema ?? inferSchema(data);
      let text = this.schemaText.get(effective);
      if (text === undefined) {
        text = stringifyJson(toConnectJsonSchema(effective, this.writer));
        if (schema !== undefined) this.schemaText.set(schema, text);
      }
      return Buffer.from(`{"schema":${text},"payload":${stringifyJson(this.writer.write(data, effective))}}`, 'utf8');
    } catch (err) {
      throw serializationError(ctx, err);
    }
  }
}

const ENVELOPE_REQUIRED =
  'an envelope needs exactly the properties "schema" and "payload" (schemas: true); for plain JSON set schemas: false';

/** How many recent schemas the deserializer tries before parsing a whole envelope. */
const RECENT_SCHEMAS = 4;

const SCHEMA_PREFIX = '{"schema":';
const PAYLOAD_INFIX = ',"payload":';
const CLOSE_BRACE = 0x7d;

/** A schema seen recently, with the exact bytes that precede the payload in its messages. */
interface RecentSchema {
  /** `{"schema":<schema text>,"payload":` */
  prefix: Buffer;
  schema: Schema;
}

class EnvelopeDeserializer implements Deserializer {
  private readonly reader: ConnectDataReader;
  /**
   * Parsed schemas by their JSON text, least recently used first. Reusing the Schema object (not just
   * an equal one) lets transforms' per-schema caches hit for every record of a stream.
   */
  private readonly schemas = new Map<string, Schema>();
  /** Most recent first. */
  private readonly recent: RecentSchema[] = [];

  constructor(
    options: ConnectDataOptions,
    private readonly cacheSize: number,
  ) {
    this.reader = new ConnectDataReader(options);
  }

  deserialize(bytes: Buffer | null, ctx: SerdeCallContext): Deserialized {
    if (bytes === null) return { data: null };
    try {
      return this.fromKnownSchema(bytes) ?? this.fromEnvelope(jsonText(bytes));
    } catch (err) {
      throw deserializationError(ctx, err);
    }
  }

  /**
   * Fast path: every message of a stream repeats the same schema text, usually longer than the
   * payload. When the bytes are `{"schema":<a recent schema's text>,"payload":<P>}`, only P is
   * decoded and parsed. That is exact: with the schema text valid JSON, the whole is a valid
   * two-property envelope if and only if P is one JSON value (anything after the payload, such as a
   * third property, makes P fail to parse, and the full parse then reports the problem).
   */
  private fromKnownSchema(bytes: Buffer): Deserialized | undefined {
    if (bytes[bytes.length - 1] !== CLOSE_BRACE) return undefined;
    for (const known of this.recent) {
      const n = known.prefix.length;
      if (bytes.length <= n || bytes.compare(known.prefix, 0, n, 0, n) !== 0) continue;
      let payload: unknown;
      try {
        payload = parseJson(decodeUtf8(bytes.subarray(n, bytes.length - 1)), { exactDecimals: true });
      } catch {
        return undefined;
      }
      return { data: this.reader.read(payload, known.schema), schema: known.schema };
    }
    return undefined;
  }

  private fromEnvelope(text: string): Deserialized {
    const envelope = parseJson(text, { exactDecimals: true });
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw new Error(ENVELOPE_REQUIRED);
    const keys = Object.keys(envelope);
    if (keys.length !== 2 || !('schema' in envelope) || !('payload' in envelope)) throw new Error(ENVELOPE_REQUIRED);
    const { schema: schemaNode, payload } = envelope as { schema: unknown; payload: unknown };
    if (schemaNode === null) return { data: plainNumbers(payload) };
    const schema = this.schema(schemaNode);
    const data = this.reader.read(payload, schema);
    this.remember(text, schema);
    return { data, schema };
  }

  /** Records the exact bytes before the payload in this message, for {@link fromKnownSchema}. */
  private remember(text: string, schema: Schema): void {
    if (!text.startsWith(SCHEMA_PREFIX)) return; // laid out unlike Connect's and our envelopes
    const end = endOfJsonValue(text, SCHEMA_PREFIX.length);
    if (!text.startsWith(PAYLOAD_INFIX, end)) return;
    const prefix = Buffer.from(text.slice(0, end + PAYLOAD_INFIX.length), 'utf8');
    const at = this.recent.findIndex((r) => r.prefix.equals(prefix));
    if (at >= 0) this.recent.splice(at, 1);
    this.recent.unshift({ prefix, schema });
    if (this.recent.length > RECENT_SCHEMAS) this.recent.pop();
  }

  private schema(node: unknown): Schema {
    const key = stringifyJson(node);
    let schema = this.schemas.get(key);
    if (schema !== undefined) {
      this.schemas.delete(key);
    } else {
      schema = fromConnectJsonSchema(node, this.reader);
      if (this.schemas.size >= this.cacheSize) this.schemas.delete(this.schemas.keys().next().value as string);
    }
    this.schemas.set(key, schema);
    return schema;
  }
}

/** Schemaless payloads hold no Decimals, so exact numbers kept for them go back to plain numbers. */
function plainNumbers(value: unknown): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(plainNumbers);
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const plain = plainNumbers(v);
      if (plain !== v) (value as Record<string, unknown>)[k] = plain;
    }
  }
  return value;
}

/** A byte-order mark is not JSON; Jackson skips one, and so do we. */
function jsonText(bytes: Uint8Array): string {
  const text = decodeUtf8(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
