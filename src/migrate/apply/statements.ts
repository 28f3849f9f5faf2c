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
import type { Dialect } from '../../schema/model.js';

export type Row = Record<string, unknown>;
export interface Result {
  rows: Row[];
  /** Rows inserted, updated or deleted. */
  affected: number;
}
/**
 * One statement in, its rows out. Without params the text goes to the server
 * as it is; with params, placeholders are the driver's (`$1` on PostgreSQL,
 * `?` on MySQL: what Knex's toSQL().toNative() gives).
 */
export type Exec = (sql: string, params?: readonly unknown[]) => Promise<Result>;

type PgResult = { rows?: Row[]; rowCount?: number | null; affectedRows?: number };
interface PgLike {
  query(sql: string, params?: unknown[]): Promise<PgResult | PgResult[]>;
}
interface MysqlLike {
  query(sql: string, params: unknown[], cb: (err: Error | null, rows: unknown) => void): void;
  query(sql: string, cb: (err: Error | null, rows: unknown) => void): void;
}

function execOn(engine: Engine, connection: unknown): Exec {
  if (engine === 'mysql') {
    const c = connection as MysqlLike;
    return (sql, params) =>
      new Promise((resolve, reject) => {
        const done = (err: Error | null, out: unknown) => {
          if (err) return reject(err);
          resolve(Array.isArray(out) ? { rows: out as Row[], affected: 0 } : { rows: [], affected: Number((out as { affectedRows?: number })?.affectedRows ?? 0) });
        };
        if (params) c.query(sql, [...params], done);
        else c.query(sql, done);
      });
  }
  const c = connection as PgLike;
  return async (sql, params) => {
    const res = params ? await c.query(sql, [...params]) : await c.query(sql);
    const last = Array.isArray(res) ? res[res.length - 1] : res;
    return { rows: last?.rows ?? [], affected: Number(last?.rowCount ?? last?.affectedRows ?? 0) };
  };
}

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
  const exec = execOn(engine, connection);
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
