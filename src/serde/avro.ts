import type { Type } from 'avsc';
import { TributaryError, errorMessage, type ErrorCode } from '../sdk/errors.ts';
import type { Logger } from '../sdk/logger.ts';
import type { Schema } from '../sdk/schema.ts';
import type { Deserialized, Deserializer, SerdeCallContext, SerdeContext, SerdePlugin, Serializer } from '../sdk/serde.ts';
import { connectToAvro, type AvroSchema } from './avro-from-connect.ts';
import { UnsupportedAvroSchema, avroToConnect } from './avro-to-connect.ts';
import { avroType, plainAvroType } from './avro-types.ts';
import { explainInvalid, undeclaredFieldCheck, type UndeclaredFieldCheck } from './avro-validation.ts';
import { avroResolutionIssue } from './registry/avro-compatibility.ts';
import { normalizeSchemaText } from './registry/model.ts';
import { RegistryConnection, readSchemaFile, registrySerdeSpec, type RegistrySerdeConfig } from './registry/serde-config.ts';
import { serdeFailure } from './registry/serde-failure.ts';
import { OnceCache } from './registry/once-cache.ts';
import { SubjectIds } from './registry/subject-ids.ts';
import { frame, HEADER_SIZE, unframe } from './registry/wire-format.ts';
import { inferSchema } from './schema-inference.ts';

/**
 * Avro in Confluent's wire format (magic byte 0, 4-byte schema id, Avro binary), with its schemas in
 * a schema registry, so Confluent's deserializers, ksqlDB, Flink's avro-confluent format and Kafka
 * Connect's AvroConverter read what Tributary writes, and Tributary reads what they write.
 *
 * Writer schema: the `schemaFile` when set; otherwise derived from the record's Connect schema
 * (avro-from-connect.ts: Debezium-style names, logical types, nullable unions), or inferred from the
 * value when the record has none. Each distinct schema is registered once per subject (see
 * `subjectNameStrategy`) and its id cached; compatibility is the registry's to enforce, and a refusal
 * names the field. Records that do not fit the schema (a missing required field, an undeclared one,
 * a value of the wrong type) are SERIALIZATION_FAILED, so they reach the dead-letter topic.
 *
 * Reading: the writer's schema is fetched by id (once) and the record decoded with it, or resolved
 * into `schemaFile` when one is set (Avro schema evolution on the read side). The schema handed on is
 * the Connect-shaped equivalent (avro-to-connect.ts), one object per schema id.
 */
export type AvroSerdeConfig = RegistrySerdeConfig;

export const avroSerde: SerdePlugin<AvroSerdeConfig> = {
  spec: registrySerdeSpec({
    name: 'avro',
    summary: 'Avro in the Confluent wire format, schemas in a schema registry (embedded or Confluent-compatible).',
    schemaFileDescription:
      'An .avsc file, relative to the pipeline file. Serializer: every record is written with this schema. Deserializer: records are read into it from their writer\'s schema. Empty: the schema comes from each record\'s own schema (serializer) or the registry (deserializer).',
  }),
  createSerializer: (ctx) => new AvroSerializer(ctx),
  createDeserializer: (ctx) => new AvroDeserializer(ctx),
};

/** A writer schema ready to use: its avsc type, the text registered, and its ids per subject. */
interface Writer {
  type: Type;
  name: string;
  check: UndeclaredFieldCheck | undefined;
  ids: SubjectIds;
}

/** Schemas inferred from schemaless values, by their text; bounded, since values may vary without end. */
const INFERRED_CACHE_SIZE = 1000;

class AvroSerializer implements Serializer {
  private readonly connection: RegistryConnection;
  private readonly fromFile: Writer | undefined;
  /** Derived writers per Connect schema object, then per root name (`''` when the name is the schema's own). */
  private readonly derived = new WeakMap<Schema, Map<string, Writer>>();
  private readonly inferred = new Map<string, Writer>();
  private scratch = Buffer.allocUnsafe(64 * 1024);

  constructor(private readonly ctx: SerdeContext<AvroSerdeConfig>) {
    this.connection = new RegistryConnection(ctx);
    const file = readSchemaFile(ctx);
    if (file !== undefined) {
      let avro: AvroSchema;
      try {
        avro = JSON.parse(file.text) as AvroSchema;
        this.fromFile = this.writer(avro);
      } catch (err) {
        throw new TributaryError('CONFIG_INVALID', `schemaFile: ${file.path} is not a valid Avro schema: ${errorMessage(err)}`, { cause: err });
      }
    }
  }

  serialize(data: unknown, schema: Schema | undefined, call: SerdeCallContext): Buffer | null | Promise<Buffer | null> {
    if (data === null || data === undefined) return null;
    let writer: Writer;
    let id: number | Promise<number>;
    try {
      writer = this.writerFor(data, schema, call);
      id = writer.ids.idFor(call.topic);
    } catch (err) {
      throw failure('SERIALIZATION_FAILED', call, err);
    }
    if (typeof id === 'number') return this.encode(writer, id, data, call);
    return id.then(
      (resolved) => this.encode(writer, resolved, data, call),
      (err: unknown) => {
        throw failure('SERIALIZATION_FAILED', call, err);
      },
    );
  }

  private writerFor(data: unknown, schema: Schema | undefined, call: SerdeCallContext): Writer {
    if (this.fromFile !== undefined) return this.fromFile;
    if (schema === undefined) return this.inferredWriter(data, call);
    // Only an unnamed top-level struct takes its name from the topic.
    const rootName = schema.type === 'struct' && schema.name === undefined ? rootNameFor(call) : '';
    let byRoot = this.derived.get(schema);
    if (byRoot === undefined) {
      byRoot = new Map();
      this.derived.set(schema, byRoot);
    }
    let writer = byRoot.get(rootName);
    if (writer === undefined) {
      writer = this.writer(connectToAvro(schema, rootName));
      byRoot.set(rootName, writer);
    }
    return writer;
  }

  private inferredWriter(data: unknown, call: SerdeCallContext): Writer {
    const inferred = inferSchema(data);
    const avro = connectToAvro(inferred, rootNameFor(call));
    const key = JSON.stringify(avro);
    let writer = this.inferred.get(key);
    if (writer === undefined) {
      writer = this.writer(avro);
      if (this.inferred.size >= INFERRED_CACHE_SIZE) this.inferred.delete(this.inferred.keys().next().value as string);
      this.inferred.set(key, writer);
    }
    return writer;
  }

  private writer(avro: AvroSchema): Writer {
    const type = avroType(avro);
    const schema = { schema: normalizeSchemaText(JSON.stringify(avro)), schemaType: 'AVRO' as const };
    const name = type.name;
    const { config, isKey } = this.ctx;
    return {
      type,
      name: name ?? type.typeName,
      check: undeclaredFieldCheck(type),
      ids: new SubjectIds(schema, name, { connection: this.connection, strategy: config.subjectNameStrategy ?? 'topic', isKey, autoRegister: config.autoRegister ?? true }),
    };
  }

  /** Header and Avro body written straight into one buffer: one copy, like avsc's own toBuffer. */
  private encode(writer: Writer, id: number, data: unknown, call: SerdeCallContext): Buffer {
    const undeclared = writer.check?.(data, '');
    if (undeclared !== undefined) throw failure('SERIALIZATION_FAILED', call, new Error(`${undeclared}: not a field of the Avro schema ${writer.name}`));
    let end: number;
    try {
      end = writer.type.encode(data, this.scratch, HEADER_SIZE);
      if (end < 0) {
        this.scratch = Buffer.allocUnsafe(2 * (this.scratch.length - end));
        end = writer.type.encode(data, this.scratch, HEADER_SIZE);
      }
    } catch (err) {
      throw failure('SERIALIZATION_FAILED', call, new Error(explainInvalid(writer.type, data) ?? errorMessage(err), { cause: err }));
    }
    const out = frame(id, this.scratch.subarray(HEADER_SIZE, end));
    return out;
  }
}

/** A writer schema resolved for reading: how to decode, and the Connect schema to hand on. */
interface Reader {
  type: Type;
  resolver: ReturnType<Type['createResolver']> | undefined;
  schema: Schema | undefined;
}

class AvroDeserializer implements Deserializer {
  private readonly connection: RegistryConnection;
  private readonly target: { avro: AvroSchema; type: Type; plain: Type; schema: Schema | undefined } | undefined;
  private readonly readers = new OnceCache<number, Reader>((id) => this.fetch(id));

  constructor(private readonly ctx: SerdeContext<AvroSerdeConfig>) {
    this.connection = new RegistryConnection(ctx);
    const file = readSchemaFile(ctx);
    if (file !== undefined) {
      try {
        const avro = JSON.parse(file.text) as AvroSchema;
        const type = avroType(avro);
        this.target = { avro, type, plain: plainAvroType(avro), schema: connectSchemaOf(avro, type, ctx.logger) };
      } catch (err) {
        throw new TributaryError('CONFIG_INVALID', `schemaFile: ${file.path} is not a valid Avro schema: ${errorMessage(err)}`, { cause: err });
      }
    }
  }

  deserialize(bytes: Buffer | null, call: SerdeCallContext): Deserialized | Promise<Deserialized> {
    if (bytes === null) return { data: null };
    let schemaId: number;
    let payload: Buffer;
    try {
      ({ schemaId, payload } = unframe(bytes));
    } catch (err) {
      throw failure('DESERIALIZATION_FAILED', call, err);
    }
    const reader = this.readers.get(schemaId);
    if (!(reader instanceof Promise)) return decode(reader, payload, schemaId, call);
    return reader.then(
      (loaded) => decode(loaded, payload, schemaId, call),
      (err: unknown) => {
        throw failure('DESERIALIZATION_FAILED', call, err);
      },
    );
  }

  private async fetch(id: number): Promise<Reader> {
    const client = await this.connection.get();
    const text = await client.schemaById(id);
    if (text.schemaType !== 'AVRO') throw new Error(`schema ${id} is ${text.schemaType}, not Avro; read this topic with the matching format`);
    const avro = JSON.parse(text.schema) as AvroSchema;
    let reader: Reader;
    if (this.target === undefined) {
      const type = avroType(avro);
      reader = { type, resolver: undefined, schema: connectSchemaOf(avro, type, this.ctx.logger) };
    } else {
      const issue = avroResolutionIssue(this.target.plain, plainAvroType(avro), { reader: 'schemaFile', writer: `schema ${id}` });
      if (issue !== undefined) throw new Error(issue);
      reader = { type: this.target.type, resolver: this.target.type.createResolver(avroType(avro)), schema: this.target.schema };
    }
    return reader;
  }
}

function decode(reader: Reader, payload: Buffer, schemaId: number, call: SerdeCallContext): Deserialized {
  let data: unknown;
  try {
    data = reader.type.fromBuffer(payload, reader.resolver);
  } catch (err) {
    throw failure('DESERIALIZATION_FAILED', call, new Error(`decoding with schema ${schemaId}: ${errorMessage(err)}`, { cause: err }));
  }
  return reader.schema === undefined ? { data } : { data, schema: reader.schema };
}

/** The Connect schema of an Avro schema, or none (schemaless data) when Connect cannot express it. */
function connectSchemaOf(avro: AvroSchema, type: Type, logger: Logger): Schema | undefined {
  try {
    return avroToConnect(avro, type);
  } catch (err) {
    if (!(err instanceof UnsupportedAvroSchema)) throw err;
    logger.warn({ reason: err.message }, 'Avro schema has no Connect equivalent; its records are passed on without a schema');
    return undefined;
  }
}

/** `<topic>.Value` / `<topic>.Key`, Debezium's naming for a topic's record (made a valid Avro name by the caller). */
function rootNameFor(call: SerdeCallContext): string {
  return `${call.topic}.${call.isKey ? 'Key' : 'Value'}`;
}

function failure(code: Extract<ErrorCode, 'SERIALIZATION_FAILED' | 'DESERIALIZATION_FAILED'>, call: SerdeCallContext, err: unknown): TributaryError {
  return serdeFailure('Avro', code, call, err);
}
