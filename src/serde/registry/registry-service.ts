import { Ajv } from 'ajv';
import { errorMessage } from '../../sdk/errors.ts';
import type { Logger } from '../../sdk/logger.ts';
import { plainAvroType } from '../avro-types.ts';
import { compatibilityIssues } from './compatibility.ts';
import {
  RegistryError,
  RegistryErrorCodes as Codes,
  isCompatibilityLevel,
  isSchemaType,
  normalizeSchemaText,
  type CompatibilityLevel,
  type SchemaText,
  type SubjectVersion,
} from './model.ts';
import type { SchemaLog } from './schema-log.ts';
import { SchemaState, type VersionEntry } from './schema-state.ts';

/** A schema as clients send it in a request body. */
export interface SchemaRequest {
  schema?: unknown;
  schemaType?: unknown;
  references?: unknown;
}

/** A writer that keeps losing races to other writers gives up after this many tries. */
const MAX_WRITE_ATTEMPTS = 5;

/**
 * The embedded registry's behaviour, in Confluent's terms (status and error codes as its REST API
 * returns them, see model.ts), over a {@link SchemaState} kept by a {@link SchemaLog}.
 *
 * Writes (register, delete, config) from this process run one at a time: each catches up with the
 * log, decides, appends its records, waits to read them back, and checks they took effect. Several
 * processes may write to the same log; the log order settles races (see schema-state.ts) and a
 * writer that lost one tries again. Reads answer from memory; one that misses (an id another process
 * just registered) catches up with the log before answering "not found".
 */
export class RegistryService {
  private readonly state = new SchemaState();
  private queue: Promise<unknown> = Promise.resolve();
  private ajv: Ajv | undefined;

  constructor(
    private readonly log: SchemaLog,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.log.start((record) => {
      if (!this.state.apply(record)) this.logger.debug({ key: record.key }, 'schema log record ignored (malformed, or lost a race)');
    });
  }

  async stop(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.log.stop();
  }

  // ------------------------------------------------------------------------------------------------
  // Reads

  async schemaById(id: number): Promise<SchemaText> {
    const found = await this.afterCatchUpIfMissing(() => this.state.schema(id));
    if (found === undefined) throw RegistryError.of(Codes.SCHEMA_NOT_FOUND, `Schema ${id} not found`);
    return found;
  }

  async usages(id: number): Promise<Array<{ subject: string; version: number }>> {
    await this.schemaById(id);
    return this.state.usages(id);
  }

  async subjects(includeDeleted: boolean): Promise<string[]> {
    await this.log.catchUp();
    return this.state.subjectNames(includeDeleted);
  }

  async versions(subject: string, includeDeleted: boolean): Promise<number[]> {
    await this.log.catchUp();
    return this.live(subject, includeDeleted).map((v) => v.version);
  }

  async version(subject: string, version: string, includeDeleted: boolean): Promise<SubjectVersion> {
    const wanted = parseVersion(version);
    if (wanted === 'latest') await this.log.catchUp();
    const find = (): VersionEntry | undefined => {
      const versions = this.state.versions(subject)?.filter((v) => includeDeleted || !v.deleted) ?? [];
      return wanted === 'latest' ? versions[versions.length - 1] : versions.find((v) => v.version === wanted);
    };
    const entry = await this.afterCatchUpIfMissing(find);
    if (entry === undefined) {
      this.live(subject, includeDeleted);
      throw RegistryError.of(Codes.VERSION_NOT_FOUND, `Version ${version} not found.`);
    }
    return this.describe(subject, entry);
  }

  /** `POST /subjects/{subject}`: the version of `subject` holding exactly this schema. */
  async lookup(subject: string, request: SchemaRequest, includeDeleted: boolean): Promise<SubjectVersion> {
    const schema = this.parse(request);
    const find = (): VersionEntry | undefined => {
      const id = this.state.idOf(schema);
      return id === undefined ? undefined : this.state.versions(subject)?.find((v) => v.id === id && (includeDeleted || !v.deleted));
    };
    const entry = await this.afterCatchUpIfMissing(find);
    if (entry === undefined) {
      this.live(subject, includeDeleted);
      throw RegistryError.of(Codes.SCHEMA_NOT_FOUND, 'Schema not found');
    }
    return this.describe(subject, entry);
  }

  async config(subject: string | null, defaultToGlobal: boolean): Promise<CompatibilityLevel> {
    await this.log.catchUp();
    if (subject === null) return this.state.defaultLevel;
    const own = this.state.subjectLevel(subject);
    if (own !== undefined) return own;
    if (defaultToGlobal) return this.state.defaultLevel;
    throw RegistryError.of(Codes.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED, `Subject '${subject}' does not have subject-level compatibility configured`);
  }

  /**
   * `POST /compatibility/subjects/{subject}/versions[/{version}]`: against one version when named,
   * else against what registering would be checked against.
   */
  async testCompatibility(subject: string, version: string | undefined, request: SchemaRequest): Promise<string[]> {
    const candidate = this.parse(request);
    await this.log.catchUp();
    const level = this.state.subjectLevel(subject) ?? this.state.defaultLevel;
    if (version === undefined) return compatibilityIssues(level, candidate, this.previous(subject));
    const against = await this.version(subject, version, false);
    return compatibilityIssues(level.replace('_TRANSITIVE', '') as CompatibilityLevel, candidate, [against]);
  }

  // ------------------------------------------------------------------------------------------------
  // Writes

  /** `POST /subjects/{subject}/versions`: the id of the schema, registering it as a new version if needed. */
  register(subject: string, request: SchemaRequest): Promise<number> {
    const schema = this.parse(request);
    return this.write(async () => {
      for (let attempt = 1; ; attempt++) {
        const versions = this.state.versions(subject) ?? [];
        const existingId = this.state.idOf(schema);
        const same = existingId === undefined ? undefined : versions.find((v) => v.id === existingId && !v.deleted);
        if (same !== undefined) return same.id;
        const level = this.state.subjectLevel(subject) ?? this.state.defaultLevel;
        const issues = compatibilityIssues(level, schema, this.previous(subject));
        if (issues.length > 0) {
          throw RegistryError.of(Codes.INCOMPATIBLE_SCHEMA, `Schema being registered is incompatible with an earlier schema for subject "${subject}" (${level}): ${issues.join('; ')}`);
        }
        const entry = { version: (versions[versions.length - 1]?.version ?? 0) + 1, id: existingId ?? this.state.nextId() };
        await this.log.append([SchemaState.schemaRecord(subject, entry, schema)]);
        const applied = this.state.versions(subject)?.find((v) => v.version === entry.version);
        // Ours took effect only if the version holds our id and the id our schema (see schema-state.ts).
        if (applied?.id === entry.id && this.state.idOf(schema) === entry.id) {
          this.logger.info({ subject, version: entry.version, id: entry.id, schemaType: schema.schemaType }, 'schema registered');
          return entry.id;
        }
        if (attempt >= MAX_WRITE_ATTEMPTS) throw RegistryError.of(Codes.STORE_ERROR, `registering under "${subject}": lost ${attempt} races with other writers of the schema log`);
        await this.log.catchUp();
      }
    });
  }

  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.write(async () => {
      // A copy: applying our own records changes the state's arrays.
      const versions = [...(this.state.versions(subject) ?? [])];
      if (versions.length === 0) throw RegistryError.of(Codes.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
      const live = versions.filter((v) => !v.deleted);
      if (permanent) {
        if (live.length > 0) throw RegistryError.of(Codes.SUBJECT_NOT_SOFT_DELETED, `Subject '${subject}' was not deleted first before being permanently deleted`);
        await this.log.append([...versions.flatMap((v) => SchemaState.purgeRecords(subject, v, this.schemaOf(v))), SchemaState.configRecord(subject, null)]);
        return versions.map((v) => v.version);
      }
      if (live.length === 0) throw RegistryError.of(Codes.SUBJECT_SOFT_DELETED, `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`);
      await this.log.append(live.map((v) => SchemaState.deletedRecord(subject, v.version)));
      return live.map((v) => v.version);
    });
  }

  deleteVersion(subject: string, version: string, permanent: boolean): Promise<number> {
    const wanted = parseVersion(version);
    return this.write(async () => {
      const versions = this.state.versions(subject);
      if (versions === undefined || versions.length === 0) throw RegistryError.of(Codes.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
      const live = versions.filter((v) => !v.deleted);
      const entry = wanted === 'latest' ? (permanent ? versions : live)[(permanent ? versions : live).length - 1] : versions.find((v) => v.version === wanted);
      if (entry === undefined) throw RegistryError.of(Codes.VERSION_NOT_FOUND, `Version ${version} not found.`);
      if (permanent) {
        if (!entry.deleted) throw RegistryError.of(Codes.VERSION_NOT_SOFT_DELETED, `Subject '${subject}' Version ${entry.version} was not deleted first before being permanently deleted`);
        await this.log.append(SchemaState.purgeRecords(subject, entry, this.schemaOf(entry)));
      } else {
        if (entry.deleted) throw RegistryError.of(Codes.VERSION_SOFT_DELETED, `Subject '${subject}' Version ${entry.version} was soft deleted.Set permanent=true to delete permanently`);
        await this.log.append([SchemaState.deletedRecord(subject, entry.version)]);
      }
      return entry.version;
    });
  }

  setConfig(subject: string | null, level: unknown): Promise<CompatibilityLevel> {
    if (!isCompatibilityLevel(level)) throw RegistryError.of(Codes.INVALID_COMPATIBILITY_LEVEL, `Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`);
    return this.write(async () => {
      await this.log.append([SchemaState.configRecord(subject, level)]);
      return level;
    });
  }

  deleteConfig(subject: string): Promise<CompatibilityLevel> {
    return this.write(async () => {
      const own = this.state.subjectLevel(subject);
      if (own === undefined) throw RegistryError.of(Codes.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
      await this.log.append([SchemaState.configRecord(subject, null)]);
      return own;
    });
  }

  // ------------------------------------------------------------------------------------------------

  /** Runs writes one after another, each from a state caught up with the log. */
  private write<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.log.catchUp();
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async afterCatchUpIfMissing<T>(find: () => T | undefined): Promise<T | undefined> {
    const found = find();
    if (found !== undefined) return found;
    await this.log.catchUp();
    return find();
  }

  /** The subject's versions visible to the caller; throws "subject not found" when there are none. */
  private live(subject: string, includeDeleted: boolean): readonly VersionEntry[] {
    const versions = this.state.versions(subject)?.filter((v) => includeDeleted || !v.deleted) ?? [];
    if (versions.length === 0) throw RegistryError.of(Codes.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
    return versions;
  }

  /** Live versions with their schemas, oldest first: what a new version must be compatible with. */
  private previous(subject: string): Array<SchemaText & { version: number }> {
    return (this.state.versions(subject) ?? []).filter((v) => !v.deleted).map((v) => ({ version: v.version, ...this.schemaOf(v) }));
  }

  private schemaOf(entry: VersionEntry): SchemaText {
    const schema = this.state.schema(entry.id);
    if (schema === undefined) throw RegistryError.of(Codes.STORE_ERROR, `schema ${entry.id} of a live version is missing from the store`);
    return schema;
  }

  private describe(subject: string, entry: VersionEntry): SubjectVersion {
    return { subject, version: entry.version, id: entry.id, ...this.schemaOf(entry) };
  }

  /** Validates and normalizes a request's schema; throws Confluent's 42201 for anything unusable. */
  private parse(request: SchemaRequest): SchemaText {
    if (typeof request !== 'object' || request === null || typeof request.schema !== 'string') throw RegistryError.of(Codes.INVALID_SCHEMA, 'Invalid schema: the request needs a "schema" string');
    const schemaType = request.schemaType ?? 'AVRO';
    if (!isSchemaType(schemaType)) throw RegistryError.of(Codes.INVALID_SCHEMA, `Invalid schema: schemaType ${String(schemaType)} is not supported (AVRO, JSON)`);
    if (Array.isArray(request.references) && request.references.length > 0) throw RegistryError.of(Codes.INVALID_SCHEMA, 'Invalid schema: schema references are not supported by the embedded registry');
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.schema);
      if (schemaType === 'AVRO') plainAvroType(parsed as Parameters<typeof plainAvroType>[0]);
      else this.checkJsonSchema(parsed);
    } catch (err) {
      throw RegistryError.of(Codes.INVALID_SCHEMA, `Invalid schema: ${errorMessage(err)}`);
    }
    return { schema: normalizeSchemaText(request.schema), schemaType };
  }

  private checkJsonSchema(schema: unknown): void {
    if (typeof schema !== 'object' && typeof schema !== 'boolean') throw new Error('a JSON Schema is an object or a boolean');
    this.ajv ??= new Ajv({ strict: false, validateSchema: true });
    if (!this.ajv.validateSchema(schema as object)) throw new Error(this.ajv.errorsText(this.ajv.errors));
  }
}

function parseVersion(text: string): number | 'latest' {
  if (text === 'latest' || text === '-1') return 'latest';
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > 2147483647) {
    throw RegistryError.of(Codes.INVALID_VERSION, `The specified version '${text}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
  }
  return n;
}
