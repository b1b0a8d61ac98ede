import type { Pool, RowDataPacket } from 'mysql2/promise';
import { parseTypeMembers, tableKey, type ColumnSchema, type TableSchema } from './table-schema.ts';

/** Schemas that hold the server's own tables; never captured. */
export const SYSTEM_DATABASES = ['mysql', 'information_schema', 'performance_schema', 'sys'] as const;

interface ColumnRow extends RowDataPacket {
  TABLE_SCHEMA: string;
  TABLE_NAME: string;
  COLUMN_NAME: string;
  DATA_TYPE: string;
  COLUMN_TYPE: string;
  IS_NULLABLE: string;
  CHARACTER_SET_NAME: string | null;
  COLUMN_KEY: string;
  TABLE_COLLATION: string | null;
}

interface KeyRow extends RowDataPacket {
  TABLE_SCHEMA: string;
  TABLE_NAME: string;
  COLUMN_NAME: string;
}

/**
 * Reads table schemas from information_schema. `tables` limits the read to those `db.table` keys;
 * absent, every user table is read. Identifiers are bound as values, never spliced into the SQL.
 */
export async function readTableSchemas(pool: Pool, tables?: ReadonlyArray<{ database: string; table: string }>): Promise<Map<string, TableSchema>> {
  const where: string[] = [`c.TABLE_SCHEMA NOT IN (${SYSTEM_DATABASES.map(() => '?').join(', ')})`];
  const params: unknown[] = [...SYSTEM_DATABASES];
  if (tables !== undefined) {
    if (tables.length === 0) return new Map();
    where.push(`(${tables.map(() => '(c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ?)').join(' OR ')})`);
    for (const t of tables) params.push(t.database, t.table);
  }
  const [columns] = await pool.query<ColumnRow[]>(
    `SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, c.IS_NULLABLE, c.CHARACTER_SET_NAME, c.COLUMN_KEY, t.TABLE_COLLATION
       FROM information_schema.COLUMNS c JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
      WHERE t.TABLE_TYPE = 'BASE TABLE' AND ${where.join(' AND ')}
      ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION`,
    params,
  );
  const [keys] = await pool.query<KeyRow[]>(
    `SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE c
      WHERE c.CONSTRAINT_NAME = 'PRIMARY' AND ${where.join(' AND ')}
      ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION`,
    params,
  );
  const out = new Map<string, TableSchema>();
  for (const row of columns) {
    const key = tableKey(row.TABLE_SCHEMA, row.TABLE_NAME);
    let schema = out.get(key);
    if (schema === undefined) {
      const collation = row.TABLE_COLLATION;
      const charset = collation === null ? null : (collation.split('_')[0] ?? null);
      schema = { database: row.TABLE_SCHEMA, table: row.TABLE_NAME, columns: [], primaryKey: [], charset: charset === 'utf8' ? 'utf8mb3' : charset };
      out.set(key, schema);
    }
    schema.columns.push(columnFromCatalog(row.COLUMN_NAME, row.DATA_TYPE, row.COLUMN_TYPE, row.IS_NULLABLE === 'YES', row.CHARACTER_SET_NAME));
  }
  for (const row of keys) out.get(tableKey(row.TABLE_SCHEMA, row.TABLE_NAME))?.primaryKey.push(row.COLUMN_NAME);
  return out;
}

export function columnFromCatalog(name: string, dataType: string, columnType: string, nullable: boolean, charset: string | null): ColumnSchema {
  const type = dataType.toLowerCase();
  const binaryTypes = ['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob'];
  const column: ColumnSchema = {
    name,
    dataType: type,
    columnType,
    nullable,
    unsigned: /\bunsigned\b/i.test(columnType),
    charset: binaryTypes.includes(type) ? 'binary' : charset,
  };
  if (type === 'enum') column.enumValues = parseTypeMembers(columnType);
  if (type === 'set') column.setValues = parseTypeMembers(columnType);
  return column;
}
