import { createHash } from 'node:crypto';
import { DEFAULT_COMPATIBILITY, isCompatibilityLevel, isSchemaType, type CompatibilityLevel, type SchemaText } from './model.ts';

/**
 * The embedded registry's state, rebuilt by applying the records of its log (a compacted topic) in
 * order. Records are JSON; the key says what a record is about, so compaction keeps the latest of each:
 *
 *   {"keytype":"SCHEMA","subject":s,"version":v,"id":n,"fingerprint":f} → {"subject","version","id","schemaType","schema"}
 *   {"keytype":"DELETED","subject":s,"version":v}                       → {"deleted":true}
 *   {"keytype":"CONFIG","subject":s|null}                               → {"compatibilityLevel": level}
 *
 * A null value (tombstone) removes the entry: a permanently deleted version (its SCHEMA and DELETED
 * records), or a subject's level going back to the global one. Soft deletion adds a DELETED record.
 *
 * Invariants, whatever order writers raced in: an id names one schema forever, one schema has one
 * id, and a subject's version names one id. A record contradicting any of them is ignored when applied
 * (the first in log order wins), so every reader of the log ends in the same state, and a writer
 * learns from its own record's fate whether it lost a race. SCHEMA records are written once and never
 * rewritten, and their key includes the id and the schema's fingerprint, so two racing records never
 * share a key: compaction can neither replace the winner with the loser nor reorder them.
 */
export interface SchemaLogRecord {
  key: string;
  value: string | null;
}

export interface VersionEntry {
  version: number;
  id: number;
  deleted: boolean;
}

interface SchemaKey {
  keytype: 'SCHEMA';
  subject: string;
  version: number;
  id: number;
  fingerprint: string;
}

interface DeletedKey {
  keytype: 'DELETED';
  subject: string;
  version: number;
}

interface ConfigKey {
  keytype: 'CONFIG';
  subject: string | null;
}

export class SchemaState {
  private readonly schemas = new Map<number, SchemaText>();
  private readonly idByContent = new Map<string, number>();
  /** Versions per subject, ascending. */
  private readonly subjects = new Map<string, VersionEntry[]>();
  private readonly levels = new Map<string, CompatibilityLevel>();
  private globalLevel: CompatibilityLevel = DEFAULT_COMPATIBILITY;
  private highestId = 0;

  /** Applies one log record; false when it was ignored (malformed, or losing a race). */
  apply(record: SchemaLogRecord): boolean {
    let key: unknown;
    try {
      key = JSON.parse(record.key);
    } catch {
      return false;
    }
    if (isSchemaKey(key)) return this.applySchema(key, record.value);
    if (isDeletedKey(key)) return this.applyDeleted(key, record.value);
    if (isConfigKey(key)) return this.applyConfig(key, record.value);
    return false;
  }

  private applySchema(key: SchemaKey, raw: string | null): boolean {
    const versions = this.subjects.get(key.subject) ?? [];
    const at = versions.findIndex((v) => v.version === key.version);
    const existing = versions[at];
    if (raw === null) {
      if (existing === undefined || existing.id !== key.id || fingerprint(this.schemas.get(key.id)) !== key.fingerprint) return false;
      versions.splice(at, 1);
      if (versions.length === 0) this.subjects.delete(key.subject);
      this.forgetIfUnused(key.id);
      return true;
    }
    if (existing !== undefined) return false;
    let value: { schema?: unknown; schemaType?: unknown };
    try {
      value = JSON.parse(raw) as typeof value;
    } catch {
      return false;
    }
    if (typeof value.schema !== 'string') return false;
    const schema: SchemaText = { schema: value.schema, schemaType: isSchemaType(value.schemaType) ? value.schemaType : 'AVRO' };
    if (fingerprint(schema) !== key.fingerprint) return false;
    const known = this.schemas.get(key.id);
    if (known !== undefined && contentKey(known) !== contentKey(schema)) return false;
    const sameContentId = this.idByContent.get(contentKey(schema));
    if (sameContentId !== undefined && sameContentId !== key.id) return false;
    if (known === undefined) {
      this.schemas.set(key.id, schema);
      this.idByContent.set(contentKey(schema), key.id);
      this.highestId = Math.max(this.highestId, key.id);
    }
    versions.push({ version: key.version, id: key.id, deleted: false });
    versions.sort((a, b) => a.version - b.version);
    this.subjects.set(key.subject, versions);
    return true;
  }

  private applyDeleted(key: DeletedKey, raw: string | null): boolean {
    const entry = this.subjects.get(key.subject)?.find((v) => v.version === key.version);
    if (entry === undefined) return raw === null;
    entry.deleted = raw !== null;
    return true;
  }

  private applyConfig(key: ConfigKey, raw: string | null): boolean {
    let level: unknown;
    if (raw !== null) {
      try {
        level = (JSON.parse(raw) as { compatibilityLevel?: unknown }).compatibilityLevel;
      } catch {
        return false;
      }
      if (!isCompatibilityLevel(level)) return false;
    }
    if (key.subject === null) this.globalLevel = raw === null ? DEFAULT_COMPATIBILITY : (level as CompatibilityLevel);
    else if (raw === null) this.levels.delete(key.subject);
    else this.levels.set(key.subject, level as CompatibilityLevel);
    return true;
  }

  private forgetIfUnused(id: number): void {
    for (const versions of this.subjects.values()) if (versions.some((v) => v.id === id)) return;
    const schema = this.schemas.get(id);
    this.schemas.delete(id);
    if (schema !== undefined) this.idByContent.delete(contentKey(schema));
  }

  schema(id: number): SchemaText | undefined {
    return this.schemas.get(id);
  }

  idOf(schema: SchemaText): number | undefined {
    return this.idByContent.get(contentKey(schema));
  }

  /** The id the next new schema gets. */
  nextId(): number {
    return this.highestId + 1;
  }

  subjectNames(includeDeleted: boolean): string[] {
    return [...this.subjects.entries()].filter(([, vs]) => includeDeleted || vs.some((v) => !v.deleted)).map(([s]) => s).sort();
  }

  /** Every version of the subject, soft-deleted ones included, ascending; undefined when it never existed (or was purged). */
  versions(subject: string): readonly VersionEntry[] | undefined {
    return this.subjects.get(subject);
  }

  /** Where `id` is used, as `GET /schemas/ids/{id}/versions` lists it. */
  usages(id: number): Array<{ subject: string; version: number }> {
    const out: Array<{ subject: string; version: number }> = [];
    for (const [subject, versions] of this.subjects) for (const v of versions) if (v.id === id && !v.deleted) out.push({ subject, version: v.version });
    return out;
  }

  subjectLevel(subject: string): CompatibilityLevel | undefined {
    return this.levels.get(subject);
  }

  get defaultLevel(): CompatibilityLevel {
    return this.globalLevel;
  }

  static schemaRecord(subject: string, entry: Pick<VersionEntry, 'version' | 'id'>, schema: SchemaText): SchemaLogRecord {
    const key: SchemaKey = { keytype: 'SCHEMA', subject, version: entry.version, id: entry.id, fingerprint: fingerprint(schema) };
    return { key: JSON.stringify(key), value: JSON.stringify({ subject, version: entry.version, id: entry.id, schemaType: schema.schemaType, schema: schema.schema }) };
  }

  static deletedRecord(subject: string, version: number): SchemaLogRecord {
    const key: DeletedKey = { keytype: 'DELETED', subject, version };
    return { key: JSON.stringify(key), value: JSON.stringify({ deleted: true }) };
  }

  /** What permanently deletes a version: tombstones for its SCHEMA and DELETED records. */
  static purgeRecords(subject: string, entry: Pick<VersionEntry, 'version' | 'id'>, schema: SchemaText): SchemaLogRecord[] {
    const schemaKey: SchemaKey = { keytype: 'SCHEMA', subject, version: entry.version, id: entry.id, fingerprint: fingerprint(schema) };
    const deletedKey: DeletedKey = { keytype: 'DELETED', subject, version: entry.version };
    return [
      { key: JSON.stringify(deletedKey), value: null },
      { key: JSON.stringify(schemaKey), value: null },
    ];
  }

  static configRecord(subject: string | null, level: CompatibilityLevel | null): SchemaLogRecord {
    const key: ConfigKey = { keytype: 'CONFIG', subject };
    return { key: JSON.stringify(key), value: level === null ? null : JSON.stringify({ compatibilityLevel: level }) };
  }
}

function contentKey(schema: SchemaText): string {
  return `${schema.schemaType}\n${schema.schema}`;
}

/** A short hash of the schema, so records of two racing writers never share a key. */
function fingerprint(schema: SchemaText | undefined): string {
  return schema === undefined ? '' : createHash('sha256').update(contentKey(schema)).digest('hex').slice(0, 16);
}

function isSchemaKey(key: unknown): key is SchemaKey {
  const k = key as Partial<SchemaKey> | null;
  return (
    typeof k === 'object' &&
    k !== null &&
    k.keytype === 'SCHEMA' &&
    typeof k.subject === 'string' &&
    Number.isInteger(k.version) &&
    (k.version ?? 0) > 0 &&
    Number.isInteger(k.id) &&
    (k.id ?? 0) > 0 &&
    typeof k.fingerprint === 'string'
  );
}

function isDeletedKey(key: unknown): key is DeletedKey {
  const k = key as Partial<DeletedKey> | null;
  return typeof k === 'object' && k !== null && k.keytype === 'DELETED' && typeof k.subject === 'string' && Number.isInteger(k.version);
}

function isConfigKey(key: unknown): key is ConfigKey {
  const k = key as Partial<ConfigKey> | null;
  return typeof k === 'object' && k !== null && k.keytype === 'CONFIG' && (k.subject === null || typeof k.subject === 'string');
}
