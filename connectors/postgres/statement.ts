import { createHash } from 'node:crypto';
import { qualified, quoteIdent } from './identifier.ts';
import type { ColumnInfo, TableInfo } from './table-catalog.ts';

/**
 * SQL text for the writes. Identifiers are quoted (identifier.ts) and type names come from the
 * catalog (format_type), so no record data is ever part of SQL text: values travel as bound arrays
 * (in PostgreSQL's text input syntax, see cell-text.ts) or COPY data, and are parsed on the server.
 */

/**
 * `INSERT INTO t (cols) SELECT u.c[::type], ... FROM <source> [ON CONFLICT ...]`, source aliased `u`.
 * `source` yields text columns (COPY staging) or, from `unnestSource`, columns already of the
 * target type except arrays; `textColumns` says which, so each value is parsed once.
 */
export function insertSelectSql(table: TableInfo, columns: readonly ColumnInfo[], source: string, conflictKey: readonly string[] | undefined, textColumns: 'all' | 'arrays'): string {
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  const casts = columns.map((c) => (textColumns === 'all' || isArray(c) ? `u.${quoteIdent(c.name)}::${c.castType}` : `u.${quoteIdent(c.name)}`)).join(', ');
  let sql = `INSERT INTO ${qualified(table.schema, table.name)} (${names}) SELECT ${casts} FROM ${source}`;
  if (conflictKey !== undefined) {
    const key = new Set(conflictKey);
    const updates = columns.filter((c) => !key.has(c.name)).map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`);
    sql += ` ON CONFLICT (${conflictKey.map(quoteIdent).join(', ')}) ${updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`}`;
  }
  return sql;
}

/**
 * `unnest($1::bigint[], $2::text[], ...) AS u("a", "b", ...)`: one array parameter per column, of
 * the column's type, so the server parses each element straight into that type (as COPY would)
 * instead of parsing text and casting it. Array columns travel as text[] of array literals and are
 * cast afterwards: an array of arrays would be flattened by unnest.
 */
export function unnestSource(columns: readonly ColumnInfo[], firstParam = 1): string {
  const arrays = columns.map((c, i) => `$${i + firstParam}::${isArray(c) ? 'text' : c.castType}[]`).join(', ');
  return `unnest(${arrays}) AS u(${columns.map((c) => quoteIdent(c.name)).join(', ')})`;
}

/** Deletes the rows whose key equals one of the unnested key tuples. */
export function deleteSql(table: TableInfo, key: readonly ColumnInfo[]): string {
  const match = key.map((c) => `t.${quoteIdent(c.name)} = u.${quoteIdent(c.name)}${isArray(c) ? `::${c.castType}` : ''}`).join(' AND ');
  return `DELETE FROM ${qualified(table.schema, table.name)} AS t USING ${unnestSource(key)} WHERE ${match}`;
}

function isArray(column: ColumnInfo): boolean {
  return column.category === 'A';
}

/** A prepared-statement name that is the same for the same text (pg caches statements per connection by name). */
export function statementName(sql: string): string {
  return `trib_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
}
