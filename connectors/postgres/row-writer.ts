import { Buffer } from 'node:buffer';
import type { ClientBase } from 'pg';
import type { WriteMethod } from './config.ts';
import { cellText } from './cell-text.ts';
import { copyFrom, copyTextRow } from './copy-in.ts';
import { quoteIdent } from './identifier.ts';
import type { Row } from './row-op.ts';
import { deleteSql, insertSelectSql, statementName, unnestSource } from './statement.ts';
import type { ColumnInfo, TableInfo } from './table-catalog.ts';

/**
 * Writes the rows of one transaction. `open` is called after BEGIN; the scope's `done` after COMMIT
 * or ROLLBACK, with which one it was (session state created inside a rolled-back transaction, such as
 * a COPY staging table, is gone with it).
 */
export interface RowWriter {
  open(client: ClientBase): WriteScope;
}

export interface WriteScope {
  /** INSERT (conflictKey undefined) or upsert on conflictKey of rows that all have `columns`. */
  write(table: TableInfo, columns: ColumnInfo[], rows: readonly Row[], conflictKey: readonly string[] | undefined): Promise<void>;
  /** Deletes the rows whose `key` columns match. */
  delete(table: TableInfo, key: ColumnInfo[], rows: readonly Row[]): Promise<void>;
  done(committed: boolean): void;
}

export function createRowWriter(method: WriteMethod): RowWriter {
  return method === 'copy' ? new CopyRowWriter() : new UnnestRowWriter();
}

function columnTexts(columns: readonly ColumnInfo[], rows: readonly Row[]): Array<Array<string | null>> {
  return columns.map((c) => rows.map((r) => cellText(r.get(c.name)?.value, c)));
}

async function deleteRows(client: ClientBase, table: TableInfo, key: ColumnInfo[], rows: readonly Row[]): Promise<void> {
  const text = deleteSql(table, key);
  await client.query({ name: statementName(text), text, values: columnTexts(key, rows) });
}

/**
 * One `INSERT ... SELECT ... FROM unnest($1::bigint[], $2::text[], ...)` per step: a single statement with one
 * array parameter per column, whatever the row count (a multi-row VALUES list would need a
 * parameter per cell, capped at 65535, and a new plan per row count). Prepared once per connection.
 */
class UnnestRowWriter implements RowWriter {
  open(client: ClientBase): WriteScope {
    return {
      write: async (table, columns, rows, conflictKey) => {
        const text = insertSelectSql(table, columns, unnestSource(columns), conflictKey, 'arrays');
        await client.query({ name: statementName(text), text, values: columnTexts(columns, rows) });
      },
      delete: (table, key, rows) => deleteRows(client, table, key, rows),
      done: () => {},
    };
  }
}

/**
 * COPY into a session temp table of text columns (`ON COMMIT DELETE ROWS`, so it is empty at the
 * start of every transaction), then one `INSERT ... SELECT ... FROM` it, casting like the unnest path.
 */
class CopyRowWriter implements RowWriter {
  /** Staging tables that exist in each connection's session (committed ones only). */
  private readonly staged = new WeakMap<ClientBase, Set<string>>();

  open(client: ClientBase): WriteScope {
    const known = this.staged.get(client) ?? new Set<string>();
    this.staged.set(client, known);
    const created = new Set<string>();
    const filled = new Set<string>();
    return {
      write: async (table, columns, rows, conflictKey) => {
        const stage = quoteIdent(stageName(table, columns));
        if (!known.has(stage) && !created.has(stage)) {
          await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (${columns.map((c) => `${quoteIdent(c.name)} text`).join(', ')}) ON COMMIT DELETE ROWS`);
          created.add(stage);
        }
        // A second step on the same table and columns in one transaction (insert mode) reuses it.
        if (filled.has(stage)) await client.query(`DELETE FROM pg_temp.${stage}`);
        filled.add(stage);
        const texts = columnTexts(columns, rows);
        const lines = rows.map((_, r) => copyTextRow(texts.map((col) => col[r] ?? null)));
        await copyFrom(client, `COPY pg_temp.${stage} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN`, Buffer.from(lines.join(''), 'utf8'));
        const text = insertSelectSql(table, columns, `pg_temp.${stage} AS u`, conflictKey, 'all');
        await client.query({ name: statementName(text), text });
      },
      delete: (table, key, rows) => deleteRows(client, table, key, rows),
      done: (committed) => {
        if (committed) for (const s of created) known.add(s);
      },
    };
  }
}

/** One staging table per target table and column list; the hash keeps the name within 63 bytes. */
function stageName(table: TableInfo, columns: readonly ColumnInfo[]): string {
  return `tributary_stage_${statementName(JSON.stringify([table.schema, table.name, columns.map((c) => c.name)])).slice(5, 21)}`;
}
