import { Ajv, type ValidateFunction } from 'ajv';
import { parseJson, stringifyJson } from '../sdk/json-text.ts';
import { TributaryError, errorMessage, type ErrorCode } from '../sdk/errors.ts';
import type { Logger } from '../sdk/logger.ts';
import type { Schema } from '../sdk/schema.ts';
import type { Deserialized, Deserializer, SerdeCallContext, SerdeContext, SerdePlugin, Serializer } from '../sdk/serde.ts';
import { ConnectDataReader, ConnectDataWriter } from './connect-data.ts';
import { connectToJsonSchema, type JsonSchema } from './json-schema-from-connect.ts';
import { UnsupportedJsonSchema, jsonSchemaToConnect } from './json-schema-to-connect.ts';
import { normalizeSchemaText } from './registry/model.ts';
import { RegistryConnection, readSchemaFile, registrySerdeSpec, type RegistrySerdeConfig } from './registry/serde-config.ts';
import { serdeFailure } from './registry/serde-failure.ts';
import { OnceCache } from './registry/once-cache.ts';
import { SubjectIds } from './registry/subject-ids.ts';
import { frame, unframe } from './registry/wire-format.ts';
import { inferSchema } from './schema-inference.ts';
import { decodeUtf8 } from './utf8.ts';

/**
 * JSON validated against a JSON Schema that lives in a schema registry, in Confluent's JSON Schema
 * wire format (magic byte 0, 4-byte schema id, UTF-8 JSON), as its KafkaJsonSchemaSerializer and
 * JsonSchemaConverter write and read it.
 *
 * Writer schema: the `schemaFile` when set (the record is written as plain JSON and validated against
 * it with ajv); otherwise derived from the record's Connect schema (json-schema-from-connect.ts) or
 * inferred from the value, and the record written by the json serde's Connect writer, which enforces
 * that schema field by field (Decimals as JSON numbers, dates as numbers, bytes as base64). A record
 * that does not match is SERIALIZATION_FAILED, naming the field, so it reaches the dead-letter topic.
 *
 * Reading: the schema is fetched by id; when it has a Connect equivalent the data is read through it
 * (Decimals back to exact decimal text, Timestamps to Dates) and the schema handed on, otherwise the
 * plain JSON is. With `schemaFile`, records are also validated against it on the way in.
 */
export type JsonSchemaSerdeConfig = RegistrySerdeConfig;

export const jsonSchemaSerde: SerdePlugin<JsonSchemaSerdeConfig> = {
  spec: registrySerdeSpec({
    name: 'json-schema',
    summary: 'JSON validated against a JSON Schema kept in a schema registry (Confluent JSON Schema wire format).',
    schemaFileDescription:
      'A JSON Schema file (draft-07), relative to the pipeline file. Serializer: records are written as plain JSON and must validate against it. Deserializer: records are validated against it. Empty: the schema is derived from each record\'s own schema (serializer) or taken from the registry (deserializer).',
  }),
  createSerializer: (ctx) => new JsonSchemaSerializer(ctx),
  createDeserializer: (ctx) => new JsonSchemaDeserializer(ctx),
};

/** One validator compiler per serde; schemas are compiled once and kept. */
function newAjv(): Ajv {
  // Not strict: registry schemas carry annotations (connect.type, connect.index) ajv does not know.
  return new Ajv({ strict: false, allErrors: false, validateFormats: false });
}

interface FileSchema {
  validate: ValidateFunction;
  connect: Schema | undefined;
  ids: SubjectIds;
}

interface DerivedWriter {
  ids: SubjectIds;
}

const INFERRED_CACHE_SIZE = 1000;

class JsonSchemaSerializer implements Serializer {
  private readonly connection: RegistryConnection;
  private readonly file: FileSchema | undefined;
  private readonly derived = new WeakMap<Schema, DerivedWriter>();
  private readonly inferred = new Map<string, DerivedWriter>();
  private readonly writer = new ConnectDataWriter({ decimalFormat: 'numeric', replaceNullWithDefault: true });

  constructor(private readonly ctx: SerdeContext<JsonSchemaSerdeConfig>) {
    this.connection = new RegistryConnection(ctx);
    const file = readSchemaFile(ctx);
    if (file !== undefined) {
      let document: JsonSchema;
      let validate: ValidateFunction;
      try {
        document = JSON.parse(file.text) as JsonSchema;
        validate = newAjv().compile(document);
      } catch (err) {
        throw new TributaryError('CONFIG_INVALID', `schemaFile: ${file.path} is not a valid JSON Schema: ${errorMessage(err)}`, { cause: err });
      }
      this.file = { validate, connect: connectOf(document, ctx.logger), ids: this.ids(document) };
    }
  }

  serialize(data: unknown, schema: Schema | undefined, call: SerdeCallContext): Buffer | null | Promise<Buffer | null> {
    if (data === null || data === undefined) return null;
    let text: string;
    let id: number | Promise<number>;
    try {
      if (this.file !== undefined) {
        text = stringifyJson(data);
        if (!this.file.validate(JSON.parse(text))) throw new Error(describeErrors(this.file.validate));
        id = this.file.ids.idFor(call.topic);
      } else {
        const effective = schema ?? inferSchema(data);
        text = stringifyJson(this.writer.write(data, effective));
        id = this.writerFor(effective, schema === undefined).ids.idFor(call.topic);
      }
    } catch (err) {
      throw failure('SERIALIZATION_FAILED', call, err);
    }
    if (typeof id === 'number') return frame(id, Buffer.from(text, 'utf8'));
    return id.then(
      (resolved) => frame(resolved, Buffer.from(text, 'utf8')),
      (err: unknown) => {
        throw failure('SERIALIZATION_FAILED', call, err);
      },
    );
  }

  private writerFor(schema: Schema, inferred: boolean): DerivedWriter {
    if (!inferred) {
      let writer = this.derived.get(schema);
      if (writer === undefined) {
        writer = { ids: this.ids(connectToJsonSchema(schema)) };
        this.derived.set(schema, writer);
      }
      return writer;
    }
    const document = connectToJsonSchema(schema);
    const key = stringifyJson(document);
    let writer = this.inferred.get(key);
    if (writer === undefined) {
      writer = { ids: this.ids(document) };
      if (this.inferred.size >= INFERRED_CACHE_SIZE) this.inferred.delete(this.inferred.keys().next().value as string);
      this.inferred.set(key, writer);
    }
    return writer;
  }

  private ids(document: JsonSchema): SubjectIds {
    const { config, isKey } = this.ctx;
    const title = typeof document.title === 'string' ? document.title : undefined;
    return new SubjectIds({ schema: normalizeSchemaText(stringifyJson(document)), schemaType: 'JSON' }, title, {
      connection: this.connection,
      strategy: config.subjectNameStrategy ?? 'topic',
      isKey,
      autoRegister: config.autoRegister ?? true,
    });
  }
}

interface Reader {
  schema: Schema | undefined;
}

class JsonSchemaDeserializer implements Deserializer {
  private readonly connection: RegistryConnection;
  private readonly reader = new ConnectDataReader({ replaceNullWithDefault: true });
  private readonly validate: ValidateFunction | undefined;
  private readonly fileSchema: Schema | undefined;
  private readonly readers = new OnceCache<number, Reader>((id) => this.fetch(id));

  constructor(private readonly ctx: SerdeContext<JsonSchemaSerdeConfig>) {
    this.connection = new RegistryConnection(ctx);
    const file = readSchemaFile(ctx);
    if (file !== undefined) {
      try {
        const document = JSON.parse(file.text) as JsonSchema;
        this.validate = newAjv().compile(document);
        this.fileSchema = connectOf(document, ctx.logger);
      } catch (err) {
        throw new TributaryError('CONFIG_INVALID', `schemaFile: ${file.path} is not a valid JSON Schema: ${errorMessage(err)}`, { cause: err });
      }
    }
  }

  deserialize(bytes: Buffer | null, call: SerdeCallContext): Deserialized | Promise<Deserialized> {
    if (bytes === null) return { data: null };
    let schemaId: number;
    let text: string;
    try {
      const framed = unframe(bytes);
      schemaId = framed.schemaId;
      text = decodeUtf8(framed.payload);
    } catch (err) {
      throw failure('DESERIALIZATION_FAILED', call, err);
    }
    const known = this.readers.get(schemaId);
    if (!(known instanceof Promise)) return this.read(known, text, call);
    return known.then(
      (reader) => this.read(reader, text, call),
      (err: unknown) => {
        throw failure('DESERIALIZATION_FAILED', call, err);
      },
    );
  }

  private read(reader: Reader, text: string, call: SerdeCallContext): Deserialized {
    try {
      if (this.validate !== undefined && !this.validate(JSON.parse(text))) throw new Error(`does not match schemaFile: ${describeErrors(this.validate)}`);
      const schema = this.fileSchema ?? reader.schema;
      if (schema === undefined) return { data: parseJson(text) };
      return { data: this.reader.read(parseJson(text, { exactDecimals: true }), schema), schema };
    } catch (err) {
      throw failure('DESERIALIZATION_FAILED', call, err);
    }
  }

  private async fetch(id: number): Promise<Reader> {
    const client = await this.connection.get();
    const text = await client.schemaById(id);
    if (text.schemaType !== 'JSON') throw new Error(`schema ${id} is ${text.schemaType}, not a JSON Schema; read this topic with the matching format`);
    return { schema: connectOf(JSON.parse(text.schema) as JsonSchema, this.ctx.logger) };
  }
}

function connectOf(document: JsonSchema, logger: Logger): Schema | undefined {
  try {
    return jsonSchemaToConnect(document);
  } catch (err) {
    if (!(err instanceof UnsupportedJsonSchema)) throw err;
    logger.warn({ reason: err.message }, 'JSON Schema has no Connect equivalent; its records are passed on without a schema');
    return undefined;
  }
}

/** ajv's first error as `field.path: message`. */
function describeErrors(validate: ValidateFunction): string {
  const first = validate.errors?.[0];
  if (first === undefined) return 'does not match the JSON Schema';
  const path = first.instancePath === '' ? 'value' : first.instancePath.slice(1).replace(/\//g, '.');
  const extra = first.keyword === 'additionalProperties' ? ` (${String((first.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
  return `${path}: ${first.message ?? 'is invalid'}${extra}`;
}

function failure(code: Extract<ErrorCode, 'SERIALIZATION_FAILED' | 'DESERIALIZATION_FAILED'>, call: SerdeCallContext, err: unknown): TributaryError {
  return serdeFailure('JSON (JSON Schema)', code, call, err);
}
