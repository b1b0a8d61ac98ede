import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { QueryResultRow } from 'pg';
import { TributaryError, errorMessage } from '../../src/sdk/errors.ts';

/**
 * A fresh database on the local PostgreSQL server for one test file (or benchmark run), dropped
 * afterwards. The server is the machine's own (it is not started here): `PG_URL` names it, default
 * postgres://postgres@127.0.0.1:5432/postgres. The URL's database is only used to connect and run
 * CREATE/DROP DATABASE.
 */
export interface PostgresDatabase {
  /** Connection URL of the new database (same server, user and password as PG_URL). */
  url: string;
  /** Its name, e.g. `tributary_pgsink_3f9a1c0b2e7d`. */
  name: string;
  /** One statement on the new database (a pooled connection). */
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Closes the pool and drops the database, disconnecting anyone still on it. Safe twice. */
  drop(): Promise<void>;
}

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function basePgUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.PG_URL !== undefined && env.PG_URL !== '' ? env.PG_URL : DEFAULT_PG_URL;
}

/** The URL with its password replaced, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable PG_URL)';
  }
}

/** `prefix` goes into the name (lower case letters, digits, `_`), so leftovers say which test made them. */
export async function createDatabase(prefix: string, env: NodeJS.ProcessEnv = process.env): Promise<PostgresDatabase> {
  const base = basePgUrl(env);
  const name = `tributary_${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 30)}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    await admin.end().catch(() => undefined);
    throw new TributaryError(
      'HARNESS_UNAVAILABLE',
      `connecting to PostgreSQL at ${redactUrl(base)}: ${errorMessage(err)}. These tests need a PostgreSQL server: start the local one (e.g. \`pg_ctlcluster 15 main start\`, trust auth for user postgres on 127.0.0.1) or set PG_URL=postgres://user:password@host:port/postgres`,
      { cause: err },
    );
  }
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined);
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
      return (await pool.query<R>(sql, params)).rows;
    },
    async drop(): Promise<void> {
      if (dropped) return;
      dropped = true;
      await pool.end();
      const admin2 = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
      await admin2.connect();
      try {
        // WITH (FORCE) (PostgreSQL 13+) disconnects sessions a killed test process left behind.
        await admin2.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin2.end();
      }
    },
  };
}
