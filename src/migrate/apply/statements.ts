/**
 * Run a migration's frozen statements exactly as written, on one connection
 * that Knex hands out (a transaction's, or one taken from the pool for a
 * migration that runs outside a transaction), through the driver itself:
 * Knex's raw() would turn every `?` of a statement (in a comment text, a
 * JSON operator) into a bind parameter on PostgreSQL.
 */
import { dialectFor } from '../../engines/sql-dialects.js';
import type { Knex } from 'knex';
import type { Engine } from '../../config/url.js';
import type { Sql } from '../../db/sql.js';
import { engineFor } from '../../engines/index.js';
import type { Exec } from '../../port/sql.js';
import type { Dialect } from '../../schema/model.js';

export type { Exec, Result, Row } from '../../port/sql.js';

/**
 * Run `fn` with the connection of `db`: a transaction's own, or one taken
 * from the pool for as long as `fn` runs (so that session settings and the
 * session id an interrupt cancels are those the statements run on).
 */
export async function withConnectionOf<T>(db: Knex | Knex.Transaction, engine: Engine, fn: (exec: Exec) => Promise<T>): Promise<T> {
  const client = db.client as Knex.Client & {
    acquireConnection(): Promise<unknown>;
    releaseConnection(c: unknown): Promise<void>;
    emit(event: string, payload: unknown): void;
  };
  const connection = await client.acquireConnection();
  const exec = engineFor(engine).connect.execOn(connection);
  try {
    // --verbose shows these statements like Knex's own.
    return await fn((sql, params) => {
      client.emit('query', { sql });
      return exec(sql, params);
    });
  } finally {
    await client.releaseConnection(connection);
  }
}

/** The engine's SQLSTATE (PostgreSQL) or error code (MySQL) of a failed statement. */
export const sqlState = (err: unknown): string | undefined => (err as { code?: string } | null)?.code;

/** PostgreSQL lock_timeout expired (lock_not_available). */
export const LOCK_NOT_AVAILABLE = '55P03';

/** PostgreSQL unique_violation (a UNIQUE index built over duplicate values, among others). */
export const UNIQUE_VIOLATION = '23505';

/** Catalog reading (`?` placeholders) on a connection the run holds: PGlite has no other. */
export function execSql(exec: Exec, dialect: Dialect): Sql {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await exec(dialectFor(dialect).placeholders(sql), params)).rows as T[];
    },
  };
}
