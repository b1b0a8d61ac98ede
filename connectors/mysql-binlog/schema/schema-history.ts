import type { DdlType, TableRef } from './ddl.ts';
import { applyAlterTable, applyCreateTable } from './ddl-applier.ts';
import { columnFromCatalog } from './information-schema.ts';
import { tableKey, type TableSchema } from './table-schema.ts';

export type SchemaLoader = (refs: readonly TableRef[]) => Promise<Map<string, TableSchema>>;

/**
 * Table schemas as of the current binlog position.
 *
 * Baseline: information_schema, read when streaming starts (for a snapshot, under the same global
 * lock as the binlog position, so schema and position agree). After that, each DDL the stream reads
 * is applied to the history (ddl-applier.ts: CREATE/ALTER TABLE column changes, RENAME, DROP), so
 * rows after an ALTER decode with the new columns and rows before it with the old ones, however far
 * behind the server the stream is.
 *
 * When the server logs column names (binlog_row_metadata=FULL) these schemas only enrich the output
 * (MySQL type text); decoding never depends on them. Otherwise they are how rows are decoded, so they
 * are `persistent`: stored in every offset (`schemas`), restored on restart, and never re-read from
 * information_schema for a table they hold, because the server's current schema may be newer than
 * the position being resumed. Each TABLE_MAP is checked against them column for column
 * (resolved-table.ts); a mismatch stops the task with an error rather than mis-decoding rows.
 *
 * Fallback: a DDL the applier does not understand (CREATE TABLE ... SELECT, CONVERT TO CHARACTER
 * SET, partitioning) re-reads the table from information_schema, which is exact only when no later
 * DDL on that table ran before the stream reads this one; with lag across several such DDLs the
 * TABLE_MAP check fails loudly. With binlog_row_metadata=FULL none of this matters: the catalog
 * only supplies type text for the output, and is simply re-read after each DDL.
 */
export class SchemaHistory {
  private readonly tables = new Map<string, TableSchema>();
  private readonly loader: SchemaLoader;
  readonly persistent: boolean;
  private serialized: SerializedHistory | undefined;

  constructor(loader: SchemaLoader, persistent: boolean) {
    this.loader = loader;
    this.persistent = persistent;
  }

  get(database: string, table: string): TableSchema | undefined {
    return this.tables.get(tableKey(database, table));
  }

  has(database: string, table: string): boolean {
    return this.tables.has(tableKey(database, table));
  }

  /** Reads tables not yet known. */
  async ensure(refs: readonly TableRef[]): Promise<void> {
    const missing = refs.filter((r) => !this.has(r.database, r.table));
    if (missing.length === 0) return;
    const loaded = await this.loader(missing);
    for (const [key, schema] of loaded) this.tables.set(key, schema);
    if (loaded.size > 0) this.serialized = undefined;
  }

  /** Replaces what is known about `refs` with the catalog's current view (after a DDL). */
  async refresh(refs: readonly TableRef[]): Promise<void> {
    for (const r of refs) this.tables.delete(tableKey(r.database, r.table));
    this.serialized = undefined;
    const loaded = await this.loader(refs);
    for (const [key, schema] of loaded) this.tables.set(key, schema);
  }

  /**
   * Follows one DDL statement. `tables` are the tables it names (RENAME: old, new pairs). Returns the
   * tables whose schema had to be re-read from the catalog, for the caller to log.
   */
  async applyDdl(type: DdlType, sql: string, tables: readonly TableRef[]): Promise<TableRef[]> {
    const reread: TableRef[] = [];
    const viaCatalog = async (refs: TableRef[]): Promise<void> => {
      reread.push(...refs);
      await this.refresh(refs);
    };
    if (type === 'ERASE') {
      this.forget(tables);
      return reread;
    }
    if (type === 'RENAME') {
      const pairs: Array<[TableRef, TableRef]> = [];
      for (let i = 0; i + 1 < tables.length; i += 2) pairs.push([tables[i] as TableRef, tables[i + 1] as TableRef]);
      for (const [from, to] of pairs) {
        let schema = this.get(from.database, from.table);
        if (schema !== undefined && /^\s*ALTER\b/i.test(sql)) schema = applyAlterTable(sql, schema);
        this.forget([from]);
        if (schema === undefined || !this.persistent) await viaCatalog([to]);
        else this.put({ ...schema, database: to.database, table: to.table });
      }
      return reread;
    }
    if (!this.persistent) {
      if (type === 'CREATE' || type === 'ALTER') await viaCatalog([...tables]);
      return reread;
    }
    for (const ref of tables) {
      let next: TableSchema | undefined;
      if (type === 'CREATE') next = applyCreateTable(sql, ref.database, ref.table);
      else if (type === 'ALTER') {
        const current = this.get(ref.database, ref.table);
        next = current === undefined ? undefined : applyAlterTable(sql, current);
      } else continue;
      if (next === undefined) await viaCatalog([ref]);
      else this.put(next);
    }
    return reread;
  }

  forget(refs: readonly TableRef[]): void {
    for (const r of refs) this.tables.delete(tableKey(r.database, r.table));
    this.serialized = undefined;
  }

  put(schema: TableSchema): void {
    this.tables.set(tableKey(schema.database, schema.table), schema);
    this.serialized = undefined;
  }

  /**
   * The history in offset form, or undefined when not persistent. The same object is returned until
   * the history changes, so the offsets of many records share it instead of each copying it.
   */
  toOffset(): SerializedHistory | undefined {
    if (!this.persistent) return undefined;
    this.serialized ??= serialize(this.tables);
    return this.serialized;
  }

  restore(value: unknown): void {
    if (value === undefined || value === null) return;
    for (const schema of deserialize(value)) this.tables.set(tableKey(schema.database, schema.table), schema);
    this.serialized = undefined;
  }
}

/** `{ "db.table": [[primaryKey...], tableCharset, [name, dataType, columnType, nullable 0|1, charset|null]...] }` */
export type SerializedHistory = Record<string, [string[], string | null, ...Array<[string, string, string, 0 | 1, string | null]>]>;

function serialize(tables: Map<string, TableSchema>): SerializedHistory {
  const out: SerializedHistory = {};
  for (const [key, t] of tables) {
    out[key] = [t.primaryKey, t.charset ?? null, ...t.columns.map((c): [string, string, string, 0 | 1, string | null] => [c.name, c.dataType, c.columnType, c.nullable ? 1 : 0, c.charset])];
  }
  return out;
}

function deserialize(value: unknown): TableSchema[] {
  if (typeof value !== 'object' || value === null) throw new Error('the schema history in the offset is not an object');
  const out: TableSchema[] = [];
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const dot = key.indexOf('.');
    if (dot < 0 || !Array.isArray(entry) || !Array.isArray(entry[0])) throw new Error(`the schema history entry "${key}" is malformed`);
    const [pk, charset, ...cols] = entry as [string[], string | null, ...Array<[string, string, string, number, string | null]>];
    out.push({
      database: key.slice(0, dot),
      table: key.slice(dot + 1),
      primaryKey: pk,
      charset,
      columns: cols.map(([name, dataType, columnType, nullable, charset]) => columnFromCatalog(name, dataType, columnType, nullable === 1, charset)),
    });
  }
  return out;
}
