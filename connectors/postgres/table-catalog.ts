import type { PoolClient } from 'pg';
import type { Logger } from '../../src/sdk/index.ts';
import type { ColumnFormat } from './cell-text.ts';
import { withDdlLock } from './ddl-lock.ts';
import { qualified, quoteIdent } from './identifier.ts';

export interface ColumnInfo extends ColumnFormat {
  name: string;
  /** The type to cast text to: the column's own type without modifiers (a domain stays a domain). */
  castType: string;
}

export interface TableInfo {
  schema: string;
  name: string;
  /** In column order. */
  columns: Map<string, ColumnInfo>;
  /** Primary key columns in key order; empty when the table has none. */
  primaryKey: string[];
}

export interface NewColumn {
  name: string;
  type: string;
}

const COLUMNS_SQL = `
SELECT a.attname AS name,
       -- Without its modifier, character means character(1) and bit means bit(1), and an explicit
       -- cast to those truncates silently; their unbounded forms let the column's own length check
       -- (on assignment) refuse a value that does not fit.
       CASE a.atttypid
         WHEN 'pg_catalog.bpchar'::regtype THEN 'bpchar'
         WHEN 'pg_catalog._bpchar'::regtype THEN 'bpchar[]'
         WHEN 'pg_catalog.bit'::regtype THEN 'bit varying'
         WHEN 'pg_catalog._bit'::regtype THEN 'bit varying[]'
         ELSE format_type(a.atttypid, NULL)
       END AS cast_type,
       format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, NULL) AS base_type,
       coalesce(bt.typcategory, t.typcategory) AS category,
       format_type(et.oid, NULL) AS element_type,
       et.typcategory AS element_category,
       array_position(i.indkey::int2[], a.attnum) AS pk_position
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
  LEFT JOIN pg_type et ON et.oid = coalesce(bt.typelem, t.typelem) AND coalesce(bt.typcategory, t.typcategory) = 'A'
  LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
 WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
 ORDER BY a.attnum`;

interface ColumnRow {
  name: string;
  cast_type: string;
  base_type: string;
  category: string;
  element_type: string | null;
  element_category: string | null;
  pk_position: number | null;
}

/**
 * What the sink knows of its target tables: columns with their types (to cast and format values)
 * and primary keys. Cached per task; `invalidate` after an error that says the cache is stale
 * (a table or column that vanished). DDL runs in its own short transaction under an advisory lock,
 * never inside the data transaction, so it holds no ACCESS EXCLUSIVE lock while rows are written.
 */
export class TableCatalog {
  private readonly tables = new Map<string, TableInfo>();

  constructor(
    private readonly schema: string,
    private readonly logger: Logger,
  ) {}

  /** The table, read from the catalog on first use; undefined when it does not exist. */
  async get(client: PoolClient, table: string): Promise<TableInfo | undefined> {
    const cached = this.tables.get(table);
    if (cached !== undefined) return cached;
    const info = await this.load(client, table);
    if (info !== undefined) this.tables.set(table, info);
    return info;
  }

  invalidate(table?: string): void {
    if (table === undefined) this.tables.clear();
    else this.tables.delete(table);
  }

  /** Creates the table unless another worker did first; returns the table as it exists then. */
  async create(client: PoolClient, table: string, columns: NewColumn[], primaryKey: string[]): Promise<TableInfo> {
    return this.underLock(client, table, async (existing) => {
      if (existing !== undefined) return;
      const defs = columns.map((c) => `${quoteIdent(c.name)} ${c.type}`);
      if (primaryKey.length > 0) defs.push(`PRIMARY KEY (${primaryKey.map(quoteIdent).join(', ')})`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${qualified(this.schema, table)} (${defs.join(', ')})`);
      this.logger.info({ table: `${this.schema}.${table}`, columns: columns.length, primaryKey }, 'created table');
    });
  }

  /** Adds nullable columns the table lacks (another worker may have added some meanwhile). */
  async addColumns(client: PoolClient, table: string, columns: NewColumn[]): Promise<TableInfo> {
    return this.underLock(client, table, async (existing) => {
      const missing = columns.filter((c) => existing !== undefined && !existing.columns.has(c.name));
      if (existing === undefined || missing.length === 0) return;
      await client.query(`ALTER TABLE ${qualified(this.schema, table)} ${missing.map((c) => `ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${c.type}`).join(', ')}`);
      this.logger.info({ table: `${this.schema}.${table}`, added: missing.map((c) => `${c.name} ${c.type}`) }, 'added columns');
    });
  }

  /**
   * Runs `change` in its own transaction holding the table's DDL lock, with the table as the catalog
   * shows it under the lock. Returns the table as it is afterwards.
   */
  private async underLock(client: PoolClient, table: string, change: (existing: TableInfo | undefined) => Promise<void>): Promise<TableInfo> {
    await withDdlLock(client, `${this.schema}.${table}`, async () => change(await this.load(client, table)));
    this.tables.delete(table);
    const info = await this.get(client, table);
    if (info === undefined) throw new Error(`table ${this.schema}.${table} does not exist after creating it`);
    return info;
  }

  private async load(client: PoolClient, table: string): Promise<TableInfo | undefined> {
    const result = await client.query<ColumnRow>(COLUMNS_SQL, [this.schema, table]);
    if (result.rows.length === 0) return undefined;
    const columns = new Map<string, ColumnInfo>();
    const keyed: Array<{ name: string; position: number }> = [];
    for (const r of result.rows) {
      const column: ColumnInfo = { name: r.name, castType: r.cast_type, baseType: r.base_type, category: r.category };
      if (r.element_type !== null && r.element_category !== null) column.element = { baseType: r.element_type, category: r.element_category };
      columns.set(r.name, column);
      if (r.pk_position !== null) keyed.push({ name: r.name, position: r.pk_position });
    }
    keyed.sort((a, b) => a.position - b.position);
    return { schema: this.schema, name: table, columns, primaryKey: keyed.map((k) => k.name) };
  }
}
