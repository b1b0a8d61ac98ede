import type { ClientBase } from 'pg';

/**
 * Advisory lock namespace of the sink's DDL ('TRIB'), paired with hashtext(object name). Workers in
 * several processes create the same tables at the same moment; CREATE TABLE IF NOT EXISTS alone
 * races in pg_type ("duplicate key value violates unique constraint pg_type_typname_nsp_index"), so
 * DDL runs under this lock and re-reads the catalog before changing anything.
 */
const DDL_LOCK = 0x54524942;

/** Runs `body` in its own transaction holding the DDL lock for `name`; commits, or rolls back on error. */
export async function withDdlLock<T>(client: ClientBase, name: string, body: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [DDL_LOCK, name]);
    const result = await body();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
